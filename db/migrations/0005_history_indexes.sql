CREATE INDEX "orders_number_prefix_idx" ON "orders" USING btree (lower("order_number") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "orders_provider_ref_prefix_idx" ON "orders" USING btree (lower("provider_ref") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "refund_lines_reason_idx" ON "refund_lines" USING btree ("reason","refund_id");--> statement-breakpoint
CREATE INDEX "refunds_amount_idx" ON "refunds" USING btree ("amount_minor","id");