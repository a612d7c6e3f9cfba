ALTER TABLE "sms_messages" DROP CONSTRAINT "sms_messages_status_check";--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "skipped_reason" text;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_status_check" CHECK ("sms_messages"."status" in ('pending','sent','dead','skipped'));