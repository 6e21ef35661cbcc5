-- Readiness (db/migration-state.ts migrationsCurrent) asks whether the database holds every
-- migration of the build that is running. The answer is in drizzle's own log of applied
-- migrations, which the migration role owns; the app's runtime role (README "Database roles") may
-- read it, and nothing more. It holds migration hashes and times, no data.
GRANT USAGE ON SCHEMA "drizzle" TO PUBLIC;--> statement-breakpoint
GRANT SELECT ON "drizzle"."__drizzle_migrations" TO PUBLIC;
