import { and, count, desc, eq, lte, sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Executor } from '../server/db';
import type { AssistedInput } from '../routes/assisted/schema';
import { applications } from './applications';
import { users } from './users';

export interface Recipient { bankId: number; bankName: string; productId: number; productName: string }
/** What the row keeps: the request as filled in, and the recipients the owner is asked to consent to. */
export interface StoredAssisted { input: AssistedInput; recipients: Recipient[] }

export const assistedStatuses = ['awaiting_consent', 'confirmed', 'lapsed'] as const;
export type AssistedStatus = (typeof assistedStatuses)[number];

/**
 * An application the desk filled in with the owner at the window (代办): kept here, without leads, until the
 * contact confirms it on their own phone at /consent/:token; then it becomes an application like any other.
 */
export const assistedRequests = pgTable('assisted_requests', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  /** The only key to the consent page: 192 random bits, sent to the contact's phone. */
  token: text('token').notNull().unique(),
  /** The request as the desk filled it in (company, contact, need, mode, productIds). */
  request: jsonb('request').notNull(),
  /** The banks the contact is asked to consent to: each recipient, named on the page. */
  bankIds: integer('bank_ids').array().notNull(),
  phone: text('phone').notNull(),
  status: text('status').$type<AssistedStatus>().notNull().default('awaiting_consent'),
  assistedBy: integer('assisted_by').notNull().references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  lapsedAt: timestamp('lapsed_at', { withTimezone: true }),
  applicationId: integer('application_id').references(() => applications.id),
}, (t) => [
  check('assisted_requests_status_check', sql`${t.status} in ('awaiting_consent','confirmed','lapsed')`),
  index('assisted_requests_due_idx').on(t.expiresAt).where(sql`${t.status} = 'awaiting_consent'`),
  index('assisted_requests_created_idx').on(t.createdAt),
]);

export type AssistedRow = typeof assistedRequests.$inferSelect;

// ---- queries ----

export async function insertAssisted(tx: Executor, row: Omit<typeof assistedRequests.$inferInsert, 'id'>): Promise<AssistedRow> {
  const [made] = await tx.insert(assistedRequests).values(row).returning();
  return made!;
}

export async function assistedByToken(db: Executor, token: string, lock = false): Promise<AssistedRow | undefined> {
  const q = db.select().from(assistedRequests).where(eq(assistedRequests.token, token));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function settleAssisted(tx: Executor, id: number, set: Partial<typeof assistedRequests.$inferInsert>): Promise<void> {
  await tx.update(assistedRequests).set(set).where(eq(assistedRequests.id, id));
}

/** Marks every request still awaiting consent past its deadline as lapsed; answers how many. */
export async function lapseAssisted(db: Executor, now: Date): Promise<number> {
  const rows = await db.update(assistedRequests).set({ status: 'lapsed', lapsedAt: now })
    .where(and(eq(assistedRequests.status, 'awaiting_consent'), lte(assistedRequests.expiresAt, now))).returning({ id: assistedRequests.id });
  return rows.length;
}

export async function listAssisted(db: Executor, f: { status?: AssistedStatus }, page: { page: number; pageSize: number }) {
  const where = f.status ? eq(assistedRequests.status, f.status) : undefined;
  const rows = await db.select({ row: assistedRequests, assistedByName: sql<string>`coalesce(${users.name}, ${users.username})` })
    .from(assistedRequests).innerJoin(users, eq(users.id, assistedRequests.assistedBy))
    .where(where).orderBy(desc(assistedRequests.createdAt), desc(assistedRequests.id)).limit(page.pageSize).offset((page.page - 1) * page.pageSize);
  const [total] = await db.select({ n: count() }).from(assistedRequests).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Assisted requests filed in [from, to), by the desk user who filed them: how many were confirmed, lapsed (by `now`) or still wait, and the leads sent. */
export async function assistedReport(db: Executor, from: Date, to: Date, now: Date) {
  return db.select({
    userId: assistedRequests.assistedBy,
    name: sql<string>`coalesce(${users.name}, ${users.username})`,
    filed: sql<number>`count(*)::int`,
    confirmed: sql<number>`count(*) filter (where ${assistedRequests.status} = 'confirmed')::int`,
    lapsed: sql<number>`count(*) filter (where ${assistedRequests.status} = 'lapsed' or (${assistedRequests.status} = 'awaiting_consent' and ${assistedRequests.expiresAt} <= ${now.toISOString()}::timestamptz))::int`,
    awaiting: sql<number>`count(*) filter (where ${assistedRequests.status} = 'awaiting_consent' and ${assistedRequests.expiresAt} > ${now.toISOString()}::timestamptz)::int`,
    leads: sql<number>`coalesce(sum((select count(*) from leads l where l.application_id = ${assistedRequests.applicationId})), 0)::int`,
  }).from(assistedRequests).innerJoin(users, eq(users.id, assistedRequests.assistedBy))
    .where(sql`${assistedRequests.createdAt} >= ${from.toISOString()}::timestamptz and ${assistedRequests.createdAt} < ${to.toISOString()}::timestamptz`)
    .groupBy(assistedRequests.assistedBy, users.name, users.username).orderBy(assistedRequests.assistedBy);
}
