DROP INDEX "orders_placed_at_idx";--> statement-breakpoint
DROP INDEX "refunds_created_idx";--> statement-breakpoint
CREATE INDEX "orders_placed_at_id_idx" ON "orders" USING btree ("placed_at","id");--> statement-breakpoint
CREATE INDEX "refunds_ended_at_idx" ON "refunds" USING btree (coalesce("completed_at", "created_at")) WHERE "refunds"."status" in ('succeeded', 'partially_succeeded', 'failed');