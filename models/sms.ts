import { and, desc, eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Db, Executor } from '../server/db';
import { queryRows } from '../server/sql';
import { applications } from './applications';

/** `skipped`: never sent, on purpose (`skipped_reason` says why: the phone's daily limit). */
export const smsStatuses = ['pending', 'sent', 'dead', 'skipped'] as const;
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
  skippedReason: text('skipped_reason'),
}, (t) => [
  check('sms_messages_status_check', sql`${t.status} in ('pending','sent','dead','skipped')`),
  uniqueIndex('sms_messages_dedupe_uq').on(t.dedupeKey),
  index('sms_messages_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  index('sms_messages_phone_idx').on(t.phone, t.createdAt),
  // Partial: a watch re-match queues a hundred thousand messages of no application in one run.
  index('sms_messages_application_idx').on(t.applicationId, t.createdAt).where(sql`${t.applicationId} is not null`),
]);

export type SmsRow = typeof smsMessages.$inferSelect;
export type NewSms = Omit<typeof smsMessages.$inferInsert, 'id' | 'status' | 'attempts' | 'sentAt' | 'deadAt' | 'providerId' | 'lastError' | 'skippedReason'>;

/** A phone's allowance of non-urgent messages: at most `limit` queued (pending or sent) since `since`. */
export interface PhoneAllowance {
  limit: number;
  since: Date;
  /** Recorded on the rows beyond it. */
  reason: string;
}

// ---- queries ----

/**
 * Queues messages in the caller's transaction, in one statement however many (the columns travel as array
 * parameters). A row whose dedupe key exists already is dropped. A non-urgent row beyond its phone's
 * allowance (the messages already queued to that phone since `since`, then this batch's in order) is kept
 * as `skipped` with the allowance's reason: it is recorded, never sent, and the change that caused it goes
 * on. Answers the rows added (their dedupe keys and statuses).
 */
export async function insertSmsMany(tx: Executor, rows: NewSms[], allowance: PhoneAllowance): Promise<{ dedupeKey: string | null; status: 'pending' | 'skipped' }[]> {
  if (rows.length === 0) return [];
  return queryRows<{ dedupeKey: string | null; status: 'pending' | 'skipped' }>(tx, sql`${insertSmsManySql(rows, allowance)} returning m.dedupe_key as "dedupeKey", m.status`);
}

/** The statement of `insertSmsMany`, without its answer (to run together with other writes). */
export function insertSmsManySql(rows: NewSms[], allowance: PhoneAllowance): SQL {
  const col = <T>(pick: (r: NewSms) => T) => sql.param(rows.map(pick));
  return sql`
    insert into sms_messages as m (phone, purpose, template, params, text, urgent, application_id, watch_id, dedupe_key, created_at, next_attempt_at, status, skipped_reason)
    select u.phone, u.purpose, u.template, u.params::jsonb, u.text, u.urgent, u.application_id, u.watch_id, u.dedupe_key, u.created_at, u.next_attempt_at,
      case when u.over then 'skipped' else 'pending' end, case when u.over then ${allowance.reason} end
    from (
      select u.*, (not u.urgent and coalesce(q.n, 0) + row_number() over (partition by u.phone, u.urgent order by u.i) > ${allowance.limit}) as over
      from unnest(${col((r) => r.phone)}::text[], ${col((r) => r.purpose)}::text[], ${col((r) => r.template)}::text[], ${col((r) => JSON.stringify(r.params))}::text[],
        ${col((r) => r.text)}::text[], ${col((r) => r.urgent ?? false)}::boolean[], ${col((r) => r.applicationId ?? null)}::int[], ${col((r) => r.watchId ?? null)}::int[],
        ${col((r) => r.dedupeKey ?? null)}::text[], ${col((r) => r.createdAt.toISOString())}::timestamptz[], ${col((r) => r.nextAttemptAt.toISOString())}::timestamptz[])
        with ordinality as u(phone, purpose, template, params, text, urgent, application_id, watch_id, dedupe_key, created_at, next_attempt_at, i)
      left join lateral (
        select count(*)::int as n from sms_messages s
        where not u.urgent and s.phone = u.phone and s.created_at >= ${allowance.since.toISOString()}::timestamptz and not s.urgent and s.status in ('pending', 'sent')
      ) q on true
    ) u
    order by u.i
    on conflict do nothing`;
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
