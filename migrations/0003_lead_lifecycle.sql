CREATE TABLE "routing_rules" (
	"bank_id" integer NOT NULL,
	"district" text NOT NULL,
	"branch_id" integer NOT NULL,
	CONSTRAINT "routing_rules_bank_id_district_pk" PRIMARY KEY("bank_id","district")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"delivery_id" text NOT NULL,
	"bank_id" integer NOT NULL,
	"seq" bigint NOT NULL,
	"lead_id" integer NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"dead_at" timestamp with time zone,
	"last_status" integer,
	"last_error" text,
	CONSTRAINT "outbox_delivery_id_unique" UNIQUE("delivery_id")
);
--> statement-breakpoint
ALTER TABLE "banks" ADD COLUMN "default_branch_id" integer;--> statement-breakpoint
ALTER TABLE "banks" ADD COLUMN "webhook_url" text;--> statement-breakpoint
ALTER TABLE "banks" ADD COLUMN "webhook_secret" text;--> statement-breakpoint
ALTER TABLE "banks" ADD COLUMN "feed_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "branches" ADD COLUMN "dispatch_mode" text DEFAULT 'queue' NOT NULL;--> statement-breakpoint
ALTER TABLE "branches" ADD COLUMN "last_assigned_user_id" integer;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "decision_note" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "first_loan_confirmed" boolean;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "disbursed_on" text;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_bank_id_banks_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."banks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_branch_id_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_bank_id_banks_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."banks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_bank_seq_uq" ON "outbox" USING btree ("bank_id","seq");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE "outbox"."delivered_at" is null and "outbox"."dead_at" is null;--> statement-breakpoint
ALTER TABLE "branches" ADD CONSTRAINT "branches_dispatch_check" CHECK ("branches"."dispatch_mode" in ('queue','round_robin'));