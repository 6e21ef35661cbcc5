-- The keyed audit chain (db/audit-hash.ts). Events written so far were hashed with plain SHA-256:
-- they are chain version 1 and keep verifying as such. Every event written from now on is version 2,
-- HMAC-SHA256 under a key kept outside the database, and the first of them seals the unkeyed ones.
-- The default only fills the existing rows; the app names the version of every event it writes.
ALTER TABLE "audit_events" ADD COLUMN "chain_version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ALTER COLUMN "chain_version" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_chain_version" CHECK ("audit_events"."chain_version" in (1, 2));--> statement-breakpoint
-- Two roles (README "Database roles"): whoever runs this migration owns audit_events; every other
-- role, whatever it is called (the app's runtime role, PUBLIC), may only add and read its events.
-- Without ownership it cannot disable or drop the append-only triggers either. Roles granted more
-- later by hand are reported by the chain check on /audit.
DO $$
DECLARE
  role_name text;
BEGIN
  FOR role_name IN
    SELECT DISTINCT CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END
    FROM pg_class c
    CROSS JOIN LATERAL aclexplode(c.relacl) acl
    LEFT JOIN pg_roles r ON r.oid = acl.grantee
    WHERE c.oid = 'audit_events'::regclass AND acl.grantee <> c.relowner
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events FROM %s', role_name);
  END LOOP;
END $$;
