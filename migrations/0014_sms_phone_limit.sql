ALTER TABLE "sms_messages" DROP CONSTRAINT "sms_messages_status_check";--> statement-breakpoint
DROP INDEX "sms_messages_application_idx";--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "skipped_reason" text;--> statement-breakpoint
CREATE INDEX "sms_messages_application_idx" ON "sms_messages" USING btree ("application_id","created_at") WHERE "sms_messages"."application_id" is not null;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_status_check" CHECK ("sms_messages"."status" in ('pending','sent','dead','skipped'));