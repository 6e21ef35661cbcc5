CREATE TABLE "refund_day_rollups" (
	"day" date NOT NULL,
	"provider" text NOT NULL,
	"currency" char(3) NOT NULL,
	"status" "refund_status" NOT NULL,
	"refunds" integer NOT NULL,
	"amount_minor" bigint NOT NULL,
	CONSTRAINT "refund_day_rollups_day_provider_currency_status_pk" PRIMARY KEY("day","provider","currency","status")
);
--> statement-breakpoint
CREATE TABLE "refund_reason_rollups" (
	"day" date NOT NULL,
	"reason" "refund_reason" NOT NULL,
	"refunds" integer NOT NULL,
	CONSTRAINT "refund_reason_rollups_day_reason_pk" PRIMARY KEY("day","reason")
);
--> statement-breakpoint
DROP INDEX "refunds_ended_at_idx";--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "order_refund_deadline" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "refunds_at_provider_idx" ON "refunds" USING btree ("created_at","id") WHERE "refunds"."status" in ('submitting', 'processing', 'outcome_unknown');--> statement-breakpoint
CREATE INDEX "refunds_waiting_deadline_idx" ON "refunds" USING btree ("order_refund_deadline","id") WHERE "refunds"."status" in ('requested', 'pending_approval', 'approved') and "refunds"."order_refund_deadline" is not null;--> statement-breakpoint
-- The overview's rollups (db/schema/rollups.ts), kept right by triggers in the transaction of every
-- change to refunds, refund_lines and orders, whoever makes it (the app, a script, raw SQL).
--
-- One lock order. A statement that may change what the rollups count first takes the audit
-- chain's lock (pg_advisory_xact_lock(1380204885) = 0x52444155 "RDAU", AUDIT_CHAIN_LOCK in
-- db/queries/audit-chain.ts; a BEFORE trigger, so before it locks any row), held to the end of the
-- transaction. Every refund write of the app takes that lock anyway, for its audit event, moments
-- later. Taking it first means:
-- - two transactions never hold rollup rows (or refund rows) and wait for the lock the other way
--   round: the busy "today" rows of the rollups cannot deadlock writers;
-- - each AFTER trigger's queries, which run after the wait, see every change committed before it
--   (READ COMMITTED: one snapshot per statement), so two writers of the same refund's lines, or a
--   refund written while its order changes provider, never count the same change twice or miss one.
-- The AFTER triggers are statement-level and read the transition tables: a bulk INSERT … SELECT is
-- one aggregate, not one upsert per row; and they touch only the keys whose figures change.
--
-- Writers are held off while the rollups are filled from the rows already there.
LOCK TABLE "orders", "refunds", "refund_lines" IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
-- The UTC day a refund counts on in refund_day_rollups: when it ended, else when it was made.
CREATE OR REPLACE FUNCTION refund_rollup_day(p_completed_at timestamptz, p_created_at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (coalesce(p_completed_at, p_created_at) AT TIME ZONE 'UTC')::date
$$;
--> statement-breakpoint
-- The row images a statement added (sign 1) and took away (sign -1), as SQL over the trigger's
-- transition tables `new_rows` and `old_rows`: an update is its old rows out and its new rows in.
CREATE OR REPLACE FUNCTION rollup_changes_sql(p_op text, p_columns text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws(' UNION ALL ',
    CASE WHEN p_op IN ('INSERT', 'UPDATE') THEN format('SELECT 1 AS sign, %s FROM new_rows', p_columns) END,
    CASE WHEN p_op IN ('DELETE', 'UPDATE') THEN format('SELECT -1 AS sign, %s FROM old_rows', p_columns) END)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refund_rollups_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1380204885);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refund_rollups_on_refunds() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Most updates (a status reason, updated_at, the deadline copy) change nothing counted.
  -- (Nested: a condition naming old_rows cannot even be planned where there is no such table.)
  IF TG_OP = 'UPDATE' THEN
    IF NOT EXISTS (
      SELECT FROM old_rows o FULL JOIN new_rows n ON n.id = o.id
       WHERE (o.id, o.order_id, o.status, o.currency, o.amount_minor, o.created_at, o.completed_at)
             IS DISTINCT FROM (n.id, n.order_id, n.status, n.currency, n.amount_minor, n.created_at, n.completed_at)
    ) THEN
      RETURN NULL;
    END IF;
  END IF;
  PERFORM pg_advisory_xact_lock(1380204885);

  -- Upserts in key order, and only the keys whose figures change.
  EXECUTE format($sql$
    INSERT INTO refund_day_rollups AS rollup (day, provider, currency, status, refunds, amount_minor)
    SELECT refund_rollup_day(c.completed_at, c.created_at), o.provider, c.currency, c.status,
           sum(c.sign), sum(c.sign * c.amount_minor)
      FROM (%s) AS c JOIN orders o ON o.id = c.order_id
     GROUP BY 1, 2, 3, 4
    HAVING sum(c.sign) <> 0 OR sum(c.sign * c.amount_minor) <> 0
     ORDER BY 1, 2, 3, 4
    ON CONFLICT (day, provider, currency, status) DO UPDATE
       SET refunds = rollup.refunds + excluded.refunds, amount_minor = rollup.amount_minor + excluded.amount_minor
  $sql$, rollup_changes_sql(TG_OP, 'order_id, status, currency, amount_minor, created_at, completed_at'));

  -- A refund made on another day takes its reasons along. (Inserted refunds have no lines yet, and
  -- a refund with lines cannot be deleted: the lines' trigger counts those.)
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO refund_reason_rollups AS rollup (day, reason, refunds)
    SELECT c.day, c.reason, sum(c.sign)
      FROM (SELECT DISTINCT o.id, l.reason, (o.created_at AT TIME ZONE 'UTC')::date AS old_day,
                   (n.created_at AT TIME ZONE 'UTC')::date AS new_day
              FROM old_rows o
              JOIN new_rows n ON n.id = o.id
              JOIN refund_lines l ON l.refund_id = n.id
             WHERE (o.created_at AT TIME ZONE 'UTC')::date <> (n.created_at AT TIME ZONE 'UTC')::date) AS moved
     CROSS JOIN LATERAL (VALUES (moved.new_day, moved.reason, 1), (moved.old_day, moved.reason, -1)) AS c(day, reason, sign)
     GROUP BY 1, 2
    HAVING sum(c.sign) <> 0
     ORDER BY 1, 2
    ON CONFLICT (day, reason) DO UPDATE SET refunds = rollup.refunds + excluded.refunds;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- A refund counts once per reason on any of its lines. For each (refund, reason) the statement
-- touched, the lines it has now are counted (after the lock, so committed lines of others are
-- seen); the lines the statement added or removed give what it had before. The pair counts when
-- it goes from none to some, and stops when it goes from some to none.
CREATE OR REPLACE FUNCTION refund_rollups_on_refund_lines() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NOT EXISTS (
      SELECT FROM old_rows o FULL JOIN new_rows n ON n.id = o.id
       WHERE (o.id, o.refund_id, o.reason) IS DISTINCT FROM (n.id, n.refund_id, n.reason)
    ) THEN
      RETURN NULL;
    END IF;
  END IF;
  PERFORM pg_advisory_xact_lock(1380204885);

  EXECUTE format($sql$
    WITH touched AS (
      SELECT c.refund_id, c.reason, sum(c.sign) AS added FROM (%s) AS c GROUP BY 1, 2 HAVING sum(c.sign) <> 0
    ), change AS (
      SELECT (r.created_at AT TIME ZONE 'UTC')::date AS day, t.reason,
             (now_lines.n > 0)::int - (now_lines.n - t.added > 0)::int AS refunds
        FROM touched t
        JOIN refunds r ON r.id = t.refund_id
       CROSS JOIN LATERAL (SELECT count(*) AS n FROM refund_lines l
                            WHERE l.refund_id = t.refund_id AND l.reason = t.reason) AS now_lines
    )
    INSERT INTO refund_reason_rollups AS rollup (day, reason, refunds)
    SELECT day, reason, sum(refunds) FROM change
     GROUP BY 1, 2
    HAVING sum(refunds) <> 0
     ORDER BY 1, 2
    ON CONFLICT (day, reason) DO UPDATE SET refunds = rollup.refunds + excluded.refunds
  $sql$, rollup_changes_sql(TG_OP, 'refund_id, reason'));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- The provider is the order's: an order moved to another provider (the app never does it) moves
-- its refunds' figures along.
CREATE OR REPLACE FUNCTION refund_rollups_on_orders() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.provider IS DISTINCT FROM n.provider) THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(1380204885);
  INSERT INTO refund_day_rollups AS rollup (day, provider, currency, status, refunds, amount_minor)
  SELECT refund_rollup_day(r.completed_at, r.created_at), c.provider, r.currency, r.status, sum(c.sign), sum(c.sign * r.amount_minor)
    FROM (SELECT n.id, n.provider, 1 AS sign FROM old_rows o JOIN new_rows n ON n.id = o.id
           WHERE o.provider IS DISTINCT FROM n.provider
          UNION ALL
          SELECT o.id, o.provider, -1 FROM old_rows o JOIN new_rows n ON n.id = o.id
           WHERE o.provider IS DISTINCT FROM n.provider) AS c
    JOIN refunds r ON r.order_id = c.id
   GROUP BY 1, 2, 3, 4
  HAVING sum(c.sign) <> 0
   ORDER BY 1, 2, 3, 4
  ON CONFLICT (day, provider, currency, status) DO UPDATE
     SET refunds = rollup.refunds + excluded.refunds, amount_minor = rollup.amount_minor + excluded.amount_minor;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- TRUNCATE has no transition tables; it empties what it counted (refunds cannot be truncated
-- without their lines).
CREATE OR REPLACE FUNCTION refund_rollups_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1380204885);
  IF TG_TABLE_NAME = 'refunds' THEN
    DELETE FROM refund_day_rollups;
  ELSE
    DELETE FROM refund_reason_rollups;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- refunds.order_refund_deadline is the order's refund_deadline, whoever writes either. FOR SHARE:
-- a deadline being changed is waited for, so the copy is never the value just replaced.
CREATE OR REPLACE FUNCTION refunds_copy_order_deadline() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.order_refund_deadline := (SELECT refund_deadline FROM orders WHERE id = NEW.order_id FOR SHARE);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION orders_deadline_to_refunds() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE refunds SET order_refund_deadline = NEW.refund_deadline
   WHERE order_id = NEW.id AND order_refund_deadline IS DISTINCT FROM NEW.refund_deadline;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- The rows already there, filled before the triggers exist (writers are held off by the lock above).
INSERT INTO refund_day_rollups (day, provider, currency, status, refunds, amount_minor)
SELECT refund_rollup_day(r.completed_at, r.created_at), o.provider, r.currency, r.status, count(*), sum(r.amount_minor)
  FROM refunds r JOIN orders o ON o.id = r.order_id
 GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO refund_reason_rollups (day, reason, refunds)
SELECT (r.created_at AT TIME ZONE 'UTC')::date, l.reason, count(DISTINCT r.id)
  FROM refund_lines l JOIN refunds r ON r.id = l.refund_id
 GROUP BY 1, 2;
--> statement-breakpoint
UPDATE refunds r SET order_refund_deadline = o.refund_deadline
  FROM orders o
 WHERE o.id = r.order_id AND o.refund_deadline IS NOT NULL;
--> statement-breakpoint
CREATE TRIGGER refunds_rollups_insert AFTER INSERT ON refunds
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_on_refunds();
--> statement-breakpoint
CREATE TRIGGER refunds_rollups_update AFTER UPDATE ON refunds
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_on_refunds();
--> statement-breakpoint
CREATE TRIGGER refunds_rollups_delete AFTER DELETE ON refunds
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_on_refunds();
--> statement-breakpoint
CREATE TRIGGER refund_lines_rollups_insert AFTER INSERT ON refund_lines
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_on_refund_lines();
--> statement-breakpoint
CREATE TRIGGER refund_lines_rollups_update AFTER UPDATE ON refund_lines
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_on_refund_lines();
--> statement-breakpoint
CREATE TRIGGER refund_lines_rollups_delete AFTER DELETE ON refund_lines
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_on_refund_lines();
--> statement-breakpoint
CREATE TRIGGER orders_rollups_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_on_orders();
--> statement-breakpoint
CREATE TRIGGER refunds_rollups_truncate AFTER TRUNCATE ON refunds
  FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_on_truncate();
--> statement-breakpoint
CREATE TRIGGER refund_lines_rollups_truncate AFTER TRUNCATE ON refund_lines
  FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_on_truncate();
--> statement-breakpoint
CREATE TRIGGER refunds_order_deadline BEFORE INSERT OR UPDATE OF order_id, order_refund_deadline ON refunds
  FOR EACH ROW EXECUTE FUNCTION refunds_copy_order_deadline();
--> statement-breakpoint
CREATE TRIGGER orders_refund_deadline_copy AFTER UPDATE OF refund_deadline ON orders
  FOR EACH ROW WHEN (OLD.refund_deadline IS DISTINCT FROM NEW.refund_deadline)
  EXECUTE FUNCTION orders_deadline_to_refunds();
--> statement-breakpoint
-- The lock, before any row is touched, for every statement that may change what is counted. (The
-- AFTER triggers take it again, a no-op then, in case one of these is ever disabled.)
CREATE TRIGGER refunds_rollups_lock
  BEFORE INSERT OR DELETE OR TRUNCATE OR UPDATE OF id, order_id, status, currency, amount_minor, created_at, completed_at
  ON refunds FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_lock();
--> statement-breakpoint
CREATE TRIGGER refund_lines_rollups_lock
  BEFORE INSERT OR DELETE OR TRUNCATE OR UPDATE OF id, refund_id, reason
  ON refund_lines FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_lock();
--> statement-breakpoint
CREATE TRIGGER orders_rollups_lock
  BEFORE UPDATE OF id, provider
  ON orders FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_lock();
