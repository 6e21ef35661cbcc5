ALTER TABLE "refunds" ADD COLUMN "reasons" "refund_reason"[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "provider_refund_refs" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
-- Each refund's reasons (the distinct reasons of its lines) and provider references (the refs of
-- its provider refunds), copied onto its row for the history and its export (db/queries/
-- refund-history.ts), which otherwise aggregate every line and provider refund per export. Kept
-- right by the triggers below in the transaction of every change to refund_lines and
-- provider_refunds, whoever makes it; `npm run db:rollups` recounts and repairs them.
--
-- The definitions, in one place: sorted as text, as the history has always shown them.
CREATE OR REPLACE FUNCTION refund_reasons_of(p_refund uuid) RETURNS refund_reason[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(DISTINCT reason::text ORDER BY reason::text), '{}')::refund_reason[]
    FROM refund_lines WHERE refund_id = p_refund
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refund_provider_refs_of(p_refund uuid) RETURNS text[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(DISTINCT provider_refund_ref ORDER BY provider_refund_ref), '{}')
    FROM provider_refunds WHERE refund_id = p_refund AND provider_refund_ref IS NOT NULL
$$;
--> statement-breakpoint
-- Statement-level, on the transition tables (rollup_changes_sql, migration 0017). Lock order as
-- the rollups' (0017): the audit chain's lock first, taken by a BEFORE trigger before the statement
-- locks any row (refund_lines_rollups_lock for lines, provider_refunds_copy_lock below), then the
-- refunds the statement touched, in id order — FOR NO KEY UPDATE, the lock the update takes anyway
-- (FOR UPDATE would wait on the KEY SHARE locks other writers' foreign keys hold on the refund,
-- and they on it). Holding a refund's row while waiting for the chain deadlocked with a status
-- move of the same refund, which takes the chain first (the proof's instances part, before this
-- order). Then a second statement recomputes the copies: under READ COMMITTED it sees every
-- change committed before the lock was granted, so two writers of one refund's lines or provider
-- refunds never leave it with only their own. The update touches only these two columns: the
-- rollups' and the lifecycle's triggers do not fire for it. A provider refund's status change
-- (webhooks, polls) changes neither column, takes no lock here and returns at once.
CREATE OR REPLACE FUNCTION refunds_copy_reasons_and_refs() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_lines boolean := TG_TABLE_NAME = 'refund_lines';
  v_column text := CASE WHEN TG_TABLE_NAME = 'refund_lines' THEN 'reason' ELSE 'provider_refund_ref' END;
  v_changes text := rollup_changes_sql(TG_OP, 'refund_id');
  v_changed boolean;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    EXECUTE format(
      'SELECT EXISTS (SELECT FROM old_rows o FULL JOIN new_rows n ON n.id = o.id
                       WHERE (o.id, o.refund_id, o.%1$I) IS DISTINCT FROM (n.id, n.refund_id, n.%1$I))',
      v_column) INTO v_changed;
    IF NOT v_changed THEN
      RETURN NULL;
    END IF;
  END IF;
  PERFORM pg_advisory_xact_lock(1380204885);
  EXECUTE format(
    'SELECT count(*) FROM (SELECT r.id FROM refunds r WHERE r.id IN (SELECT refund_id FROM (%s) c) ORDER BY r.id FOR NO KEY UPDATE) locked',
    v_changes);
  EXECUTE format(
    'UPDATE refunds r SET %1$I = c.copy
       FROM (SELECT t.refund_id, %2$I(t.refund_id) AS copy FROM (SELECT DISTINCT refund_id FROM (%3$s) ch) t) c
      WHERE r.id = c.refund_id AND r.%1$I IS DISTINCT FROM c.copy',
    CASE WHEN v_lines THEN 'reasons' ELSE 'provider_refund_refs' END,
    CASE WHEN v_lines THEN 'refund_reasons_of' ELSE 'refund_provider_refs_of' END,
    v_changes);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- TRUNCATE has no transition tables; it leaves no lines or provider refunds to copy.
CREATE OR REPLACE FUNCTION refunds_copy_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'refund_lines' THEN
    UPDATE refunds SET reasons = '{}' WHERE reasons <> '{}';
  ELSE
    UPDATE refunds SET provider_refund_refs = '{}' WHERE provider_refund_refs <> '{}';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Writers are held off while the copies are filled from the rows already there.
LOCK TABLE "refunds", "refund_lines", "provider_refunds" IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
UPDATE refunds r SET reasons = refund_reasons_of(r.id), provider_refund_refs = refund_provider_refs_of(r.id)
 WHERE (r.reasons, r.provider_refund_refs) IS DISTINCT FROM (refund_reasons_of(r.id), refund_provider_refs_of(r.id));
--> statement-breakpoint
CREATE TRIGGER refund_lines_copy_reasons_insert AFTER INSERT ON refund_lines
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_copy_reasons_and_refs();
--> statement-breakpoint
CREATE TRIGGER refund_lines_copy_reasons_update AFTER UPDATE ON refund_lines
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_copy_reasons_and_refs();
--> statement-breakpoint
CREATE TRIGGER refund_lines_copy_reasons_delete AFTER DELETE ON refund_lines
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_copy_reasons_and_refs();
--> statement-breakpoint
CREATE TRIGGER provider_refunds_copy_refs_insert AFTER INSERT ON provider_refunds
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_copy_reasons_and_refs();
--> statement-breakpoint
CREATE TRIGGER provider_refunds_copy_refs_update AFTER UPDATE ON provider_refunds
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_copy_reasons_and_refs();
--> statement-breakpoint
CREATE TRIGGER provider_refunds_copy_refs_delete AFTER DELETE ON provider_refunds
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION refunds_copy_reasons_and_refs();
--> statement-breakpoint
CREATE TRIGGER refund_lines_copy_reasons_truncate AFTER TRUNCATE ON refund_lines
  FOR EACH STATEMENT EXECUTE FUNCTION refunds_copy_on_truncate();
--> statement-breakpoint
CREATE TRIGGER provider_refunds_copy_refs_truncate AFTER TRUNCATE ON provider_refunds
  FOR EACH STATEMENT EXECUTE FUNCTION refunds_copy_on_truncate();
--> statement-breakpoint
-- The chain's lock before any row, for every statement that may change a reference copy (the
-- function of migration 0017; refund_lines has its own from there).
CREATE TRIGGER provider_refunds_copy_lock
  BEFORE INSERT OR DELETE OR TRUNCATE OR UPDATE OF id, refund_id, provider_refund_ref
  ON provider_refunds FOR EACH STATEMENT EXECUTE FUNCTION refund_rollups_lock();
--> statement-breakpoint
-- The refundable guard of migration 0003, its order lock FOR NO KEY UPDATE instead of FOR UPDATE,
-- as the app's (db/queries/refunds.ts lockOrder): guards still wait for each other and for the
-- app's lock, but no longer for a foreign key's KEY SHARE on the order, which a transaction
-- updating a refund for the second time takes while it holds the audit chain.
CREATE OR REPLACE FUNCTION refund_guard_order(p_order_id uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  bad record;
  order_held bigint;
  order_limit bigint;
BEGIN
  PERFORM 1 FROM orders WHERE id = p_order_id FOR NO KEY UPDATE;

  SELECT l.id, l.paid_minor - l.externally_refunded_minor AS allowed, sum(rl.amount_minor) AS held
    INTO bad
    FROM order_lines l
    JOIN refund_lines rl ON rl.order_line_id = l.id
    JOIN refunds r ON r.id = rl.refund_id
   WHERE l.order_id = p_order_id
     AND r.status NOT IN ('rejected', 'expired', 'canceled', 'failed')
   GROUP BY l.id
  HAVING sum(rl.amount_minor) > l.paid_minor - l.externally_refunded_minor
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'refund exceeds what is refundable on order line % (% > %)', bad.id, bad.held, bad.allowed
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refund_within_paid';
  END IF;

  SELECT coalesce(sum(rl.amount_minor), 0) INTO order_held
    FROM refund_lines rl
    JOIN refunds r ON r.id = rl.refund_id
    JOIN order_lines l ON l.id = rl.order_line_id
   WHERE l.order_id = p_order_id
     AND r.status NOT IN ('rejected', 'expired', 'canceled', 'failed');
  SELECT coalesce(sum(l.paid_minor), 0) - o.externally_refunded_minor INTO order_limit
    FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
   WHERE o.id = p_order_id
   GROUP BY o.externally_refunded_minor;
  IF order_held > order_limit THEN
    RAISE EXCEPTION 'refunds exceed what is refundable on order % (% > %)', p_order_id, order_held, order_limit
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refund_within_paid';
  END IF;
END;
$$;
