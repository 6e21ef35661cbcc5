#!/bin/sh
# Run once by the postgres image on an empty volume: the two roles and the database of README
# "Database roles", with the passwords from compose's .env.
set -eu
psql -v ON_ERROR_STOP=1 --username postgres <<SQL
CREATE ROLE refund_desk_owner LOGIN PASSWORD '${OWNER_DB_PASSWORD}';
CREATE ROLE refund_desk_app LOGIN PASSWORD '${APP_DB_PASSWORD}';
CREATE DATABASE refund_desk OWNER refund_desk_owner;
SQL
psql -v ON_ERROR_STOP=1 --username postgres --dbname refund_desk <<'SQL'
ALTER SCHEMA public OWNER TO refund_desk_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO refund_desk_app;
ALTER DEFAULT PRIVILEGES FOR ROLE refund_desk_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO refund_desk_app;
ALTER DEFAULT PRIVILEGES FOR ROLE refund_desk_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO refund_desk_app;
SQL
