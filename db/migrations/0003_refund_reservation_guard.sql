-- Money is reserved when a refund is requested (PRODUCT.md §3). The service checks what is
-- refundable under a lock on the order row; these triggers make the database itself refuse any
-- write that would refund more than was paid, on a line or on the order. They take the same order
-- row lock, so two transactions can never both pass the check.
CREATE OR REPLACE FUNCTION refund_guard_order(p_order_id uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  bad record;
  order_held bigint;
  order_limit bigint;
BEGIN
  PERFORM 1 FROM orders WHERE id = p_order_id FOR UPDATE;

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
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refund_lines_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refund_guard_order((SELECT order_id FROM order_lines WHERE id = NEW.order_line_id));
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- AFTER, so the new row itself is counted.
CREATE TRIGGER refund_lines_within_paid
  AFTER INSERT OR UPDATE ON refund_lines
  FOR EACH ROW EXECUTE FUNCTION refund_lines_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refunds_status_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refund_guard_order(NEW.order_id);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- A released refund (failed, rejected …) that holds money again must fit too.
CREATE TRIGGER refunds_status_within_paid
  AFTER UPDATE OF status ON refunds
  FOR EACH ROW
  WHEN (OLD.status IN ('rejected', 'expired', 'canceled', 'failed') AND NEW.status NOT IN ('rejected', 'expired', 'canceled', 'failed'))
  EXECUTE FUNCTION refunds_status_guard();
--> statement-breakpoint
-- Lines and payments are mirrors of the provider; an update that would leave held refunds above
-- what was paid is refused as well.
CREATE OR REPLACE FUNCTION order_lines_paid_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refund_guard_order(NEW.order_id);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER order_lines_paid_within_refunds
  AFTER UPDATE OF paid_minor, externally_refunded_minor ON order_lines
  FOR EACH ROW EXECUTE FUNCTION order_lines_paid_guard();
