CREATE TABLE "reassignments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reassignments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"lead_id" integer NOT NULL,
	"application_id" integer NOT NULL,
	"to_bank_id" integer NOT NULL,
	"to_product_id" integer NOT NULL,
	"status" text NOT NULL,
	"requested_by" integer NOT NULL,
	"note" text,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"new_lead_id" integer
);
--> statement-breakpoint
ALTER TABLE "reassignments" ADD CONSTRAINT "reassignments_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reassignments" ADD CONSTRAINT "reassignments_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reassignments" ADD CONSTRAINT "reassignments_to_bank_id_banks_id_fk" FOREIGN KEY ("to_bank_id") REFERENCES "public"."banks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reassignments" ADD CONSTRAINT "reassignments_to_product_id_products_id_fk" FOREIGN KEY ("to_product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reassignments" ADD CONSTRAINT "reassignments_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reassignments" ADD CONSTRAINT "reassignments_new_lead_id_leads_id_fk" FOREIGN KEY ("new_lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reassignments_application_idx" ON "reassignments" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reassignments_one_pending_idx" ON "reassignments" USING btree ("lead_id") WHERE status = 'awaiting_consent';--> statement-breakpoint
CREATE INDEX "leads_escalated_idx" ON "leads" USING btree ("escalated_at") WHERE status = 'new' and escalated_at is not null;