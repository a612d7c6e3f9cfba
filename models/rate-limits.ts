import { and, eq, gt, lte, sql, type SQL } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Executor } from '../server/db';
import { queryPrepared, queryRows } from '../server/sql';
import { LOGIN_LOCK_MS, LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS, type SignInClaim } from './users';

/**
 * Fixed-window counters shared by every instance (sign-in, phone codes, submissions): one row per
 * limiter key, counted with one atomic upsert, so two instances behind a load balancer enforce one limit.
 */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  resetAt: timestamp('reset_at', { withTimezone: true }).notNull(),
}, (t) => [
  index('rate_limits_reset_idx').on(t.resetAt),
]);

export type RateLimitRow = typeof rateLimits.$inferSelect;

// ---- queries ----

const asDate = (v: string | Date) => new Date(v);

/**
 * Counts one hit on `key` in a fixed window, atomically (concurrent hits from any instance are all
 * counted): a window that has run out starts again at 1. Returns the count and when the window ends.
 */
export async function hitRateLimit(db: Executor, key: string, windowMs: number, now: Date): Promise<{ hits: number; resetAt: Date }> {
  const [row] = await queryPrepared<{ hits: number; reset_at: string | Date }>(db, hitRateLimitSql(key, windowMs, now));
  return rateLimitHit(row!);
}

/** The statement of `hitRateLimit` (it returns `hits, reset_at`), to embed in a bigger one, counted only `when`; `rateLimitHit` reads its row. */
export function hitRateLimitSql(key: string, windowMs: number, now: Date, when: SQL = sql`true`): SQL {
  const nowIso = now.toISOString();
  const resetAt = new Date(now.getTime() + windowMs).toISOString();
  return sql`
    insert into rate_limits (key, hits, reset_at) select ${key}, 1, ${resetAt}::timestamptz where ${when}
    on conflict (key) do update set
      hits = case when rate_limits.reset_at <= ${nowIso}::timestamptz then 1 else rate_limits.hits + 1 end,
      reset_at = case when rate_limits.reset_at <= ${nowIso}::timestamptz then excluded.reset_at else rate_limits.reset_at end
    returning hits, reset_at`;
}

export function rateLimitHit(row: { hits: number | string; reset_at: string | Date }): { hits: number; resetAt: Date } {
  return { hits: Number(row.hits), resetAt: asDate(row.reset_at) };
}

/** Takes back one hit of a live window (a request that turned out not to count, such as a good sign-in). */
export async function unhitRateLimit(db: Executor, key: string, now: Date): Promise<void> {
  await db.update(rateLimits).set({ hits: sql`greatest(${rateLimits.hits} - 1, 0)` })
    .where(and(eq(rateLimits.key, key), gt(rateLimits.resetAt, now)));
}

/** Deletes the windows that have run out (an expired row counts as no row); returns how many. */
export async function deleteExpiredRateLimits(db: Executor, now: Date): Promise<number> {
  const gone = await db.delete(rateLimits).where(lte(rateLimits.resetAt, now)).returning({ key: rateLimits.key });
  return gone.length;
}

// Sign-in attempts on usernames nobody has: counted here exactly as an account's own counter counts
// them (models/users.ts), so an unknown username answers like a known one. `hits` is the slots taken;
// LOCKED marks a lock, and `reset_at` is then the lock's end instead of the window's.
const LOCKED = LOGIN_MAX_FAILURES + 1;

/** The unknown-username twin of `claimSignInAttempt`: takes a slot, or finds (or makes) a lock. */
export async function claimUnknownSignIn(db: Executor, key: string, now: Date): Promise<SignInClaim> {
  const nowIso = now.toISOString();
  const windowEnd = new Date(now.getTime() + LOGIN_WINDOW_MS).toISOString();
  const lockUntil = new Date(now.getTime() + LOGIN_LOCK_MS).toISOString();
  const [row] = await queryRows<{ hits: number; reset_at: string | Date }>(db, sql`
    insert into rate_limits (key, hits, reset_at) values (${key}, 1, ${windowEnd}::timestamptz)
    on conflict (key) do update set
      hits = case when rate_limits.reset_at <= ${nowIso}::timestamptz then 1
        when rate_limits.hits >= ${LOGIN_MAX_FAILURES} then ${LOCKED} else rate_limits.hits + 1 end,
      reset_at = case when rate_limits.reset_at <= ${nowIso}::timestamptz then excluded.reset_at
        when rate_limits.hits >= ${LOGIN_MAX_FAILURES} then ${lockUntil}::timestamptz else rate_limits.reset_at end
      where rate_limits.hits < ${LOCKED} or rate_limits.reset_at <= ${nowIso}::timestamptz
    returning hits, reset_at`);
  if (row) return Number(row.hits) === LOCKED ? { locked: true, lockedUntil: asDate(row.reset_at), lockedNow: true } : { locked: false, slot: Number(row.hits) };
  const [current] = await db.select({ resetAt: rateLimits.resetAt }).from(rateLimits).where(eq(rateLimits.key, key));
  return { locked: true, lockedUntil: current?.resetAt ?? new Date(lockUntil), lockedNow: false };
}

/** The unknown-username twin of `settleFailedSignIn`: locks once the window's five slots are taken. */
export async function settleUnknownSignIn(db: Executor, key: string, now: Date): Promise<Date | null> {
  const lockUntil = new Date(now.getTime() + LOGIN_LOCK_MS);
  const [row] = await db.update(rateLimits).set({ hits: LOCKED, resetAt: lockUntil })
    .where(and(eq(rateLimits.key, key), eq(rateLimits.hits, LOGIN_MAX_FAILURES), gt(rateLimits.resetAt, now)))
    .returning({ resetAt: rateLimits.resetAt });
  return row?.resetAt ?? null;
}
