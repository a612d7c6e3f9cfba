ALTER TABLE "outbox" ALTER COLUMN "seq" DROP NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_unsequenced_idx" ON "outbox" USING btree ("bank_id","id") WHERE "outbox"."seq" is null;