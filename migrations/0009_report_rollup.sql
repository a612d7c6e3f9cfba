CREATE TABLE "report_dirty_days" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "report_dirty_days_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"day" date NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_rollup" (
	"day" date NOT NULL,
	"bank_id" integer NOT NULL,
	"dim" text NOT NULL,
	"value" text NOT NULL,
	"leads" integer NOT NULL,
	"applications" integer NOT NULL,
	"first_loan_applications" integer NOT NULL,
	"accept_due" integer NOT NULL,
	"accept_met" integer NOT NULL,
	"contact_due" integer NOT NULL,
	"contact_met" integer NOT NULL,
	"decision_due" integer NOT NULL,
	"decision_met" integer NOT NULL,
	"decided" integer NOT NULL,
	"approved" integer NOT NULL,
	"disbursed" integer NOT NULL,
	"approved_amount" numeric NOT NULL,
	"disbursed_amount" numeric NOT NULL,
	"rate_weight" numeric,
	"spread_weight" numeric,
	"first_loan_approved" integer NOT NULL,
	"first_loan_amount" numeric NOT NULL,
	"credit_approved" integer NOT NULL,
	"declines" jsonb NOT NULL,
	"second_looks" jsonb NOT NULL,
	CONSTRAINT "report_rollup_dim_value_bank_id_day_pk" PRIMARY KEY("dim","value","bank_id","day")
);
--> statement-breakpoint
CREATE TABLE "report_sample" (
	"lead_id" integer PRIMARY KEY NOT NULL,
	"day" date NOT NULL,
	"bank_id" integer NOT NULL,
	"district" text,
	"industry" text,
	"size" text,
	"product_type" text,
	"channel_id" integer,
	"accept_wh" real,
	"accept_ch" real,
	"contact_wh" real,
	"contact_ch" real,
	"decision_wh" real,
	"decision_ch" real
);
--> statement-breakpoint
CREATE INDEX "report_sample_day_idx" ON "report_sample" USING btree ("day");--> statement-breakpoint
CREATE INDEX "leads_created_idx" ON "leads" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "leads_waiting_idx" ON "leads" USING btree ("created_at") WHERE decided_at is null and closed_at is null;