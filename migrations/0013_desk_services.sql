CREATE TABLE "consultations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "consultations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"uscc" text,
	"company_name" text NOT NULL,
	"contact_name" text,
	"phone" text,
	"channel" text NOT NULL,
	"topics" jsonb NOT NULL,
	"product_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"note" text,
	"outcome" text NOT NULL,
	"recorded_by" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "consultations_channel_check" CHECK ("consultations"."channel" in ('walk_in','phone','online','visit')),
	CONSTRAINT "consultations_outcome_check" CHECK ("consultations"."outcome" in ('informed','applied','coaching','referred','other'))
);
--> statement-breakpoint
CREATE TABLE "coaching_cases" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "coaching_cases_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"uscc" text NOT NULL,
	"company_name" text NOT NULL,
	"phone" text,
	"sms_opt_in" boolean DEFAULT false NOT NULL,
	"target_product_ids" integer[] NOT NULL,
	"company" jsonb,
	"need" jsonb,
	"status" text DEFAULT 'open' NOT NULL,
	"note" text,
	"watch_id" integer,
	"application_id" integer,
	"opened_by" integer NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"ready_at" timestamp with time zone,
	"applied_at" timestamp with time zone,
	"financed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "coaching_cases_status_check" CHECK ("coaching_cases"."status" in ('open','ready','applied','financed','closed'))
);
--> statement-breakpoint
CREATE TABLE "coaching_gaps" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "coaching_gaps_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_id" integer NOT NULL,
	"criterion" text NOT NULL,
	"hint" text,
	"plan" text NOT NULL,
	"due_on" date NOT NULL,
	"done_at" timestamp with time zone,
	"reminded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "assisted_requests" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assisted_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"token" text NOT NULL,
	"request" jsonb NOT NULL,
	"bank_ids" integer[] NOT NULL,
	"phone" text NOT NULL,
	"status" text DEFAULT 'awaiting_consent' NOT NULL,
	"assisted_by" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"lapsed_at" timestamp with time zone,
	"application_id" integer,
	CONSTRAINT "assisted_requests_token_unique" UNIQUE("token"),
	CONSTRAINT "assisted_requests_status_check" CHECK ("assisted_requests"."status" in ('awaiting_consent','confirmed','lapsed'))
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "assisted_by" integer;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_cases" ADD CONSTRAINT "coaching_cases_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_cases" ADD CONSTRAINT "coaching_cases_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coaching_gaps" ADD CONSTRAINT "coaching_gaps_case_id_coaching_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."coaching_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assisted_requests" ADD CONSTRAINT "assisted_requests_assisted_by_users_id_fk" FOREIGN KEY ("assisted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assisted_requests" ADD CONSTRAINT "assisted_requests_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consultations_created_idx" ON "consultations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "consultations_uscc_idx" ON "consultations" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "coaching_cases_uscc_idx" ON "coaching_cases" USING btree ("uscc");--> statement-breakpoint
CREATE INDEX "coaching_cases_status_idx" ON "coaching_cases" USING btree ("status","opened_at");--> statement-breakpoint
CREATE INDEX "coaching_gaps_case_idx" ON "coaching_gaps" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "coaching_gaps_due_idx" ON "coaching_gaps" USING btree ("due_on") WHERE "coaching_gaps"."done_at" is null and "coaching_gaps"."reminded_at" is null;--> statement-breakpoint
CREATE INDEX "assisted_requests_due_idx" ON "assisted_requests" USING btree ("expires_at") WHERE "assisted_requests"."status" = 'awaiting_consent';--> statement-breakpoint
CREATE INDEX "assisted_requests_created_idx" ON "assisted_requests" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_assisted_by_users_id_fk" FOREIGN KEY ("assisted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;