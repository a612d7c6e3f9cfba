ALTER TABLE "applications" ADD COLUMN "company_size" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "accept_working_hours" numeric(10, 2);--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "contact_working_hours" numeric(10, 2);--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "decision_working_hours" numeric(10, 2);