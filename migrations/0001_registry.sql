CREATE TABLE "products" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "products_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"bank_id" integer NOT NULL,
	"code" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"amount_min" bigint NOT NULL,
	"amount_max" bigint NOT NULL,
	"term_min_months" integer NOT NULL,
	"term_max_months" integer NOT NULL,
	"rate_min" numeric(5, 2) NOT NULL,
	"rate_max" numeric(5, 2) NOT NULL,
	"repayment_methods" jsonb NOT NULL,
	"guarantee_types" jsonb NOT NULL,
	"approval_days" integer NOT NULL,
	"first_loan_friendly" boolean DEFAULT false NOT NULL,
	"criteria" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"materials" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"superseded_by_id" integer,
	"created_by" integer,
	"updated_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"retired_at" timestamp with time zone,
	CONSTRAINT "products_status_check" CHECK ("products"."status" in ('draft','published','retired')),
	CONSTRAINT "products_amount_check" CHECK ("products"."amount_min" > 0 and "products"."amount_min" <= "products"."amount_max"),
	CONSTRAINT "products_term_check" CHECK ("products"."term_min_months" > 0 and "products"."term_min_months" <= "products"."term_max_months"),
	CONSTRAINT "products_rate_check" CHECK ("products"."rate_min" >= 0 and "products"."rate_min" <= "products"."rate_max")
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_bank_id_banks_id_fk" FOREIGN KEY ("bank_id") REFERENCES "public"."banks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "products_family_version_uq" ON "products" USING btree ("bank_id","code","version");--> statement-breakpoint
CREATE UNIQUE INDEX "products_one_published_uq" ON "products" USING btree ("bank_id","code") WHERE "products"."status" = 'published';--> statement-breakpoint
CREATE UNIQUE INDEX "products_one_draft_uq" ON "products" USING btree ("bank_id","code") WHERE "products"."status" = 'draft';--> statement-breakpoint
CREATE INDEX "products_status_type_idx" ON "products" USING btree ("status","type");