ALTER TABLE "provider_checks" ADD COLUMN "decided_by" uuid;--> statement-breakpoint
ALTER TABLE "provider_checks" ADD CONSTRAINT "provider_checks_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
-- Four eyes, as for approvals: a refund is never settled by hand by the user who requested it.
CREATE OR REPLACE FUNCTION provider_checks_not_own_refund() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.decided_by IS NOT NULL
     AND EXISTS (SELECT 1 FROM refunds r WHERE r.id = NEW.refund_id AND r.requested_by = NEW.decided_by) THEN
    RAISE EXCEPTION 'a refund cannot be settled by hand by the user who requested it'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER provider_checks_four_eyes
  BEFORE INSERT ON provider_checks
  FOR EACH ROW EXECUTE FUNCTION provider_checks_not_own_refund();
