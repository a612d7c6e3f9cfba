import { and, count, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { banks, branches } from './banks';
import type { Executor } from '../server/db';
import { containsPattern, queryRows } from '../server/sql';

export const roles = ['admin', 'desk', 'bank_admin', 'bank_officer'] as const;
export type Role = (typeof roles)[number];
export const bankRoles: readonly Role[] = ['bank_admin', 'bank_officer'];

export const users = pgTable('users', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  /** Stored lower-case; unique. */
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').$type<Role>().notNull(),
  bankId: integer('bank_id').references(() => banks.id),
  branchId: integer('branch_id').references(() => branches.id),
  name: text('name'),
  active: boolean('active').notNull().default(true),
  failedLoginCount: integer('failed_login_count').notNull().default(0),
  failedLoginWindowStart: timestamp('failed_login_window_start', { withTimezone: true }),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  /** Bumped on logout and password change; tokens carrying an older version are refused. */
  tokenVersion: integer('token_version').notNull().default(0),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('users_role_check', sql`${t.role} in ('admin','desk','bank_admin','bank_officer')`),
  check('users_bank_role_check', sql`(${t.role} in ('bank_admin','bank_officer')) = (${t.bankId} is not null)`),
  check('users_branch_needs_bank_check', sql`${t.branchId} is null or ${t.bankId} is not null`),
  index('users_bank_idx').on(t.bankId),
]);

export type UserRow = typeof users.$inferSelect;

// ---- queries ----

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_LOCK_MS = 15 * 60 * 1000;

export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username.toLowerCase()));
  return row;
}

export async function findUserById(db: Executor, id: number, scope?: SQL): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(and(eq(users.id, id), scope));
  return row;
}

/**
 * Counts a failed sign-in in one atomic statement (concurrent attempts cannot undercount): the count
 * restarts when the last window began 15+ minutes ago, and the fifth failure inside a window locks the
 * account for 15 minutes.
 */
export async function recordFailedLogin(db: Executor, id: number, now: Date): Promise<{ lockedUntil: Date | null }> {
  const nowIso = now.toISOString();
  const windowStart = new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString();
  const lockUntil = new Date(now.getTime() + LOGIN_LOCK_MS).toISOString();
  const [row] = await queryRows<{ locked_until: string | Date | null }>(db, sql`
    with next as (
      select id,
        case when failed_login_window_start is null or failed_login_window_start <= ${windowStart}::timestamptz
          then 1 else failed_login_count + 1 end as n,
        case when failed_login_window_start is null or failed_login_window_start <= ${windowStart}::timestamptz
          then ${nowIso}::timestamptz else failed_login_window_start end as w
      from users where id = ${id} for update
    )
    update users u set
      failed_login_count = case when next.n >= ${LOGIN_MAX_FAILURES} then 0 else next.n end,
      failed_login_window_start = case when next.n >= ${LOGIN_MAX_FAILURES} then null else next.w end,
      locked_until = case when next.n >= ${LOGIN_MAX_FAILURES} then ${lockUntil}::timestamptz else u.locked_until end
    from next where u.id = next.id
    returning u.locked_until`);
  const locked = row?.locked_until ? new Date(row.locked_until) : null;
  return { lockedUntil: locked && locked > now ? locked : null };
}

export async function recordSuccessfulLogin(db: Executor, id: number, now: Date): Promise<void> {
  await db.update(users)
    .set({ failedLoginCount: 0, failedLoginWindowStart: null, lockedUntil: null, lastLoginAt: now })
    .where(eq(users.id, id));
}

export async function bumpTokenVersion(db: Executor, id: number): Promise<void> {
  await db.update(users).set({ tokenVersion: sql`${users.tokenVersion} + 1` }).where(eq(users.id, id));
}

export interface UserFilter {
  scope?: SQL;
  role?: Role;
  bankId?: number;
  q?: string;
  page: number;
  pageSize: number;
}

export async function listUsers(db: Executor, f: UserFilter): Promise<{ rows: UserRow[]; total: number }> {
  const where = and(
    f.scope,
    f.role ? eq(users.role, f.role) : undefined,
    f.bankId !== undefined ? eq(users.bankId, f.bankId) : undefined,
    f.q ? or(ilike(users.username, containsPattern(f.q)), ilike(users.name, containsPattern(f.q))) : undefined,
  );
  const rows = await db.select().from(users).where(where)
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(f.pageSize).offset((f.page - 1) * f.pageSize);
  const [totalRow] = await db.select({ n: count() }).from(users).where(where);
  return { rows, total: Number(totalRow?.n ?? 0) };
}
