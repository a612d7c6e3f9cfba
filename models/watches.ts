import { and, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Executor } from '../server/db';

/**
 * "Tell me when I qualify": a company profile and need kept (with its own consent) for 180 days, re-matched
 * when products are published and daily. `told_product_ids` holds every product the watcher has been told
 * of, or was eligible for when the watch was made.
 */
export const watches = pgTable('watches', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  token: text('token').notNull().unique(),
  phone: text('phone').notNull(),
  company: jsonb('company').notNull(),
  need: jsonb('need').notNull(),
  consentVersion: text('consent_version').notNull(),
  toldProductIds: integer('told_product_ids').array().notNull().default(sql`'{}'::integer[]`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  lastNotifiedAt: timestamp('last_notified_at', { withTimezone: true }),
  notifications: integer('notifications').notNull().default(0),
  appliedAt: timestamp('applied_at', { withTimezone: true }),
}, (t) => [
  index('watches_active_idx').on(t.id).where(sql`${t.cancelledAt} is null`),
  // A submission marks the phone's watches of the company it applied for, inside its transaction: by index, not a scan.
  index('watches_phone_unapplied_idx').on(t.phone).where(sql`${t.appliedAt} is null`),
]);

export type WatchRow = typeof watches.$inferSelect;

// ---- queries ----

export async function insertWatch(tx: Executor, row: Omit<typeof watches.$inferInsert, 'id'>): Promise<WatchRow> {
  const [made] = await tx.insert(watches).values(row).returning();
  return made!;
}

export async function watchByToken(db: Executor, token: string): Promise<WatchRow | undefined> {
  const [row] = await db.select().from(watches).where(eq(watches.token, token));
  return row;
}

export async function cancelWatch(db: Executor, id: number, now: Date): Promise<WatchRow> {
  const [row] = await db.update(watches).set({ cancelledAt: sql`coalesce(${watches.cancelledAt}, ${now.toISOString()}::timestamptz)` }).where(eq(watches.id, id)).returning();
  return row!;
}

/**
 * What the re-matcher reads of a watch: the profile to match and what it has been told (no consent or dates).
 * `told` is the told products' array as PostgreSQL prints it (`{1,2,3}`): most watches match nothing new, and
 * parsing a long integer array for each of a million rows would cost more than the matching.
 */
export type WatchToMatch = Pick<WatchRow, 'id' | 'token' | 'phone' | 'company' | 'need' | 'lastNotifiedAt'> & { told: string };

/** The product ids of a `told` text as read by `activeWatchesAfter`. */
export const toldIds = (told: string): number[] => (told.length > 2 ? told.slice(1, -1).split(',').map(Number) : []);

/**
 * A batch of active (not cancelled, not expired) watches after `afterId`, in id order: the re-matcher
 * streams them (keyset pages in id order). With `untoldOf`, a watch already told of every one of those
 * products is left in the database (after a publish it has nothing new to hear), and `told` holds only
 * those of them it was told of.
 */
export async function activeWatchesAfter(db: Executor, afterId: number, now: Date, limit: number, untoldOf?: number[]): Promise<WatchToMatch[]> {
  const only = untoldOf?.length ? `{${untoldOf.join(',')}}` : undefined;
  return db.select({
    id: watches.id, token: watches.token, phone: watches.phone, company: watches.company, need: watches.need,
    told: only
      ? sql<string>`array(select x from unnest(${only}::integer[]) x where x = any(${watches.toldProductIds}))::text`
      : sql<string>`${watches.toldProductIds}::text`,
    lastNotifiedAt: watches.lastNotifiedAt,
  }).from(watches)
    .where(and(gt(watches.id, afterId), isNull(watches.cancelledAt), gt(watches.expiresAt, now),
      only ? sql`not (${watches.toldProductIds} @> ${only}::integer[])` : undefined))
    .orderBy(watches.id).limit(limit);
}

/**
 * Records the products each watch was just told of (in the transaction that queues its message), in one
 * statement whatever the count: the lists travel as two array parameters.
 */
export async function markToldMany(tx: Executor, told: { id: number; productIds: number[] }[], now: Date): Promise<void> {
  if (told.length === 0) return;
  const ids = sql.param(told.map((t) => t.id));
  const lists = sql.param(told.map((t) => `{${t.productIds.join(',')}}`));
  await tx.execute(sql`
    update watches w set
      told_product_ids = (select array(select distinct x from unnest(w.told_product_ids || v.ids::integer[]) x order by 1)),
      last_notified_at = ${now.toISOString()}::timestamptz, notifications = w.notifications + 1
    from unnest(${ids}::int[], ${lists}::text[]) as v(id, ids) where w.id = v.id`);
}

/** Notes on the phone's watches of this company that it applied (the statement, run with the submission's writes). */
export function markAppliedSql(phone: string, uscc: string, now: Date): SQL {
  return sql`update ${watches} set applied_at = ${now.toISOString()}::timestamptz where phone = ${phone} and company->>'uscc' = ${uscc} and applied_at is null`;
}

export async function watchStats(db: Executor, now: Date): Promise<{ active: number; notified: number; applied: number }> {
  const [r] = await db.select({
    active: sql<number>`count(*) filter (where ${watches.cancelledAt} is null and ${watches.expiresAt} > ${now.toISOString()}::timestamptz)::int`,
    notified: sql<number>`count(*) filter (where ${watches.notifications} > 0)::int`,
    applied: sql<number>`count(*) filter (where ${watches.appliedAt} is not null)::int`,
  }).from(watches);
  return { active: Number(r?.active ?? 0), notified: Number(r?.notified ?? 0), applied: Number(r?.applied ?? 0) };
}
