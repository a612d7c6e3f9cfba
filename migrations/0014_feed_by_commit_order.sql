ALTER TABLE "outbox" ALTER COLUMN "seq" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "txid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_unsequenced_idx" ON "outbox" USING btree ("bank_id","txid","id") WHERE "outbox"."seq" is null;