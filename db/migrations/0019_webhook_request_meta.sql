ALTER TABLE "webhook_events" ADD COLUMN "source_ip" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "request_id" text;