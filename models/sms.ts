import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Db, Executor } from '../server/db';
import { applications } from './applications';

export const smsStatuses = ['pending', 'sent', 'dead'] as const;
export type SmsStatus = (typeof smsStatuses)[number];

/**
 * The SMS outbox: every message to an applicant's phone is a row written in the transaction of the change
 * that caused it, then sent by the sms-deliver job (retries with backoff, dead letter). `dedupe_key`
 * makes "told once" a constraint: the same change queued twice is one message.
 */
export const smsMessages = pgTable('sms_messages', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  phone: text('phone').notNull(),
  purpose: text('purpose').notNull(),
  template: text('template').notNull(),
  params: jsonb('params').$type<Record<string, string>>().notNull(),
  text: text('text').notNull(),
  urgent: boolean('urgent').notNull().default(false),
  applicationId: integer('application_id').references(() => applications.id),
  watchId: integer('watch_id'),
  dedupeKey: text('dedupe_key'),
  status: text('status').$type<SmsStatus>().notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  deadAt: timestamp('dead_at', { withTimezone: true }),
  providerId: text('provider_id'),
  lastError: text('last_error'),
}, (t) => [
  check('sms_messages_status_check', sql`${t.status} in ('pending','sent','dead')`),
  uniqueIndex('sms_messages_dedupe_uq').on(t.dedupeKey),
  index('sms_messages_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  index('sms_messages_phone_idx').on(t.phone, t.createdAt),
  index('sms_messages_application_idx').on(t.applicationId, t.createdAt),
]);

export type SmsRow = typeof smsMessages.$inferSelect;
export type NewSms = Omit<typeof smsMessages.$inferInsert, 'id' | 'status' | 'attempts' | 'sentAt' | 'deadAt' | 'providerId' | 'lastError'>;

// ---- queries ----

/** Queues a message in the caller's transaction; a second row with the same dedupe key is dropped. Answers whether it was queued. */
export async function insertSms(tx: Executor, row: NewSms): Promise<boolean> {
  const done = await tx.insert(smsMessages).values(row).onConflictDoNothing().returning({ id: smsMessages.id });
  return done.length > 0;
}

/** Claims due messages (FOR UPDATE SKIP LOCKED, so instances share the work) and leases them until `leaseUntil`. */
export async function claimDueSms(db: Db, now: Date, leaseUntil: Date, batch: number): Promise<SmsRow[]> {
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(smsMessages)
      .where(and(eq(smsMessages.status, 'pending'), lte(smsMessages.nextAttemptAt, now)))
      .orderBy(smsMessages.nextAttemptAt, smsMessages.id).limit(batch).for('update', { skipLocked: true });
    if (rows.length) await tx.update(smsMessages).set({ nextAttemptAt: leaseUntil }).where(inArray(smsMessages.id, rows.map((r) => r.id)));
    return rows;
  });
}

export async function settleSms(db: Executor, id: number, patch: Partial<Pick<SmsRow, 'status' | 'attempts' | 'nextAttemptAt' | 'sentAt' | 'deadAt' | 'providerId' | 'lastError' | 'text'>>): Promise<void> {
  await db.update(smsMessages).set(patch).where(eq(smsMessages.id, id));
}

/** The outbox as admins read it, newest first, optionally for one phone. */
export async function listSms(db: Executor, o: { phone?: string; limit: number }): Promise<SmsRow[]> {
  return db.select().from(smsMessages).where(o.phone ? eq(smsMessages.phone, o.phone) : undefined).orderBy(desc(smsMessages.id)).limit(o.limit);
}

/** What was (or will be) sent to the applicant about one application, oldest first. */
export async function smsOfApplication(db: Executor, applicationId: number): Promise<SmsRow[]> {
  return db.select().from(smsMessages).where(eq(smsMessages.applicationId, applicationId)).orderBy(smsMessages.id);
}

/** Backlog for /metrics: pending (due or waiting out quiet hours) and dead letters. */
export async function smsBacklog(db: Executor): Promise<{ pending: number; dead: number }> {
  const [r] = await db.select({
    pending: sql<number>`count(*) filter (where ${smsMessages.status} = 'pending')::int`,
    dead: sql<number>`count(*) filter (where ${smsMessages.status} = 'dead')::int`,
  }).from(smsMessages);
  return { pending: Number(r?.pending ?? 0), dead: Number(r?.dead ?? 0) };
}
