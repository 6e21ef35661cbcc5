CREATE TYPE "public"."provider_check_kind" AS ENUM('status_read', 'conclusion');--> statement-breakpoint
CREATE TABLE "provider_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"refund_id" uuid NOT NULL,
	"submission_id" uuid,
	"kind" "provider_check_kind" NOT NULL,
	"finding" text NOT NULL,
	"exchange" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "provider" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "provider_refunds" ALTER COLUMN "provider" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "webhook_events" ALTER COLUMN "provider" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "refunds" ADD COLUMN "follow_up_of" uuid;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "order_ref" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "refund_ref" text;--> statement-breakpoint
ALTER TABLE "provider_checks" ADD CONSTRAINT "provider_checks_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."refunds"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_checks" ADD CONSTRAINT "provider_checks_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."submissions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provider_checks_refund_idx" ON "provider_checks" USING btree ("refund_id","created_at");--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_follow_up_of_refunds_id_fk" FOREIGN KEY ("follow_up_of") REFERENCES "public"."refunds"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_events_refund_ref_idx" ON "webhook_events" USING btree ("provider","refund_ref");--> statement-breakpoint
CREATE INDEX "webhook_events_order_ref_idx" ON "webhook_events" USING btree ("provider","order_ref","received_at");--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_followUpOf_unique" UNIQUE("follow_up_of");--> statement-breakpoint
DROP TYPE "public"."provider";--> statement-breakpoint
-- Deliveries received before the refs were parsed into columns.
UPDATE "webhook_events" SET "refund_ref" = "payload" -> 'data' ->> 'refund_ref', "order_ref" = "payload" -> 'data' ->> 'order_ref' WHERE "provider" = 'forage';--> statement-breakpoint
UPDATE "webhook_events" SET "order_ref" = "payload" ->> 'orderUuid' WHERE "provider" = 'frontpayment';
--> statement-breakpoint
-- A provider id is a short lowercase name (the registry in lib/providers/registry.ts lists them).
ALTER TABLE "orders" ADD CONSTRAINT "orders_provider_id" CHECK ("provider" ~ '^[a-z][a-z0-9_]{1,31}$');--> statement-breakpoint
-- What a provider said is evidence: a check, once written, is never changed or removed.
CREATE OR REPLACE FUNCTION provider_checks_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'provider_checks is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER provider_checks_append_only
  BEFORE UPDATE OR DELETE ON provider_checks
  FOR EACH ROW EXECUTE FUNCTION provider_checks_reject_change();
--> statement-breakpoint
-- An attempt's request is written before it is sent and never changes; the provider's answer (or
-- its absence) is written once, and an attempt is never removed.
CREATE OR REPLACE FUNCTION submissions_write_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'submissions are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.refund_id IS DISTINCT FROM OLD.refund_id OR NEW.attempt IS DISTINCT FROM OLD.attempt
     OR NEW.idempotency_key IS DISTINCT FROM OLD.idempotency_key OR NEW.request_body IS DISTINCT FROM OLD.request_body
     OR NEW.baseline_refunded_minor IS DISTINCT FROM OLD.baseline_refunded_minor OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'the request of attempt % is never rewritten', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.outcome <> 'pending' THEN
    RAISE EXCEPTION 'the answer to attempt % is recorded already', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER submissions_write_once
  BEFORE UPDATE OR DELETE ON submissions
  FOR EACH ROW EXECUTE FUNCTION submissions_write_once();
