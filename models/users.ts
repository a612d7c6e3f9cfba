import { and, count, desc, eq, ilike, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
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

/** Sign-in attempts per account (known or not) in one window, before the account locks. */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_LOCK_MS = 15 * 60 * 1000;

/**
 * What counting a sign-in attempt found: a slot to check the password in (`slot`: how many slots of the
 * window were taken with this one), or a lock (made by this very attempt when `lockedNow`).
 */
export type SignInClaim = { locked: false; slot: number } | { locked: true; lockedUntil: Date; lockedNow: boolean };

/** The user signing in, with whether their bank (if any) is active. */
export async function findSignInUser(db: Executor, username: string): Promise<(UserRow & { bankActive: boolean }) | undefined> {
  const [row] = await db.select({ user: users, bankActive: banks.active }).from(users)
    .leftJoin(banks, eq(banks.id, users.bankId)).where(eq(users.username, username.toLowerCase()));
  return row && { ...row.user, bankActive: row.bankActive ?? true };
}

export async function findUserById(db: Executor, id: number, scope?: SQL): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(and(eq(users.id, id), scope));
  return row;
}

const asDate = (v: string | Date | null | undefined) => (v ? new Date(v) : null);

/**
 * Counts a sign-in attempt before its password is checked, in one conditional statement, so parallel
 * attempts cannot slip past the count. Each attempt takes one of the window's five slots (a slot stays
 * taken until the attempt proves right); an attempt that finds all five taken locks the account for 15
 * minutes (`lockedNow`), and a locked account counts nothing. A window restarts 15 minutes after its
 * first attempt; a lock always outlasts its window.
 */
export async function claimSignInAttempt(db: Executor, id: number, now: Date): Promise<SignInClaim> {
  const nowIso = now.toISOString();
  const windowStart = new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString();
  const lockUntil = new Date(now.getTime() + LOGIN_LOCK_MS).toISOString();
  const fresh = sql`(failed_login_window_start is null or failed_login_window_start <= ${windowStart}::timestamptz)`;
  const [row] = await queryRows<{ n: number; locked_until: string | Date | null }>(db, sql`
    update users set
      failed_login_count = case when ${fresh} then 1 when failed_login_count >= ${LOGIN_MAX_FAILURES} then failed_login_count else failed_login_count + 1 end,
      failed_login_window_start = case when ${fresh} then ${nowIso}::timestamptz else failed_login_window_start end,
      locked_until = case when not ${fresh} and failed_login_count >= ${LOGIN_MAX_FAILURES} then ${lockUntil}::timestamptz end
    where id = ${id} and (locked_until is null or locked_until <= ${nowIso}::timestamptz)
    returning failed_login_count as n, locked_until`);
  if (row) {
    const lockedUntil = asDate(row.locked_until);
    return lockedUntil ? { locked: true, lockedUntil, lockedNow: true } : { locked: false, slot: Number(row.n) };
  }
  const [current] = await db.select({ lockedUntil: users.lockedUntil }).from(users).where(eq(users.id, id));
  // Gone meanwhile: answer as for a lock that starts now (the caller answers unknown users alike anyway).
  return { locked: true, lockedUntil: current?.lockedUntil ?? new Date(lockUntil), lockedNow: false };
}

/**
 * After a wrong password (or a refused account): locks the account when the window's five slots are
 * all taken. Returns the lock's end when this call locked it (one caller only, whatever runs in parallel).
 */
export async function settleFailedSignIn(db: Executor, id: number, now: Date): Promise<Date | null> {
  const nowIso = now.toISOString();
  const windowStart = new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString();
  const lockUntil = new Date(now.getTime() + LOGIN_LOCK_MS).toISOString();
  const [row] = await queryRows<{ locked_until: string | Date }>(db, sql`
    update users set locked_until = ${lockUntil}::timestamptz
    where id = ${id} and failed_login_count >= ${LOGIN_MAX_FAILURES}
      and failed_login_window_start > ${windowStart}::timestamptz
      and (locked_until is null or locked_until <= ${nowIso}::timestamptz)
    returning locked_until`);
  return asDate(row?.locked_until);
}

/**
 * After the right password (of the attempt that took `slot`): gives back that attempt's own slot and
 * records the sign-in, provided the account is not locked and no other attempt arrived while the
 * password was being checked. Otherwise undefined, and the attempt is part of a burst: it gets no
 * session and stays counted. Never clears a lock, and never forgives the other attempts of the window.
 */
export async function settleGoodSignIn(db: Executor, id: number, slot: number, now: Date): Promise<UserRow | undefined> {
  const [row] = await db.update(users)
    .set({ failedLoginCount: sql`greatest(${users.failedLoginCount} - 1, 0)`, lastLoginAt: now })
    .where(and(eq(users.id, id), lte(users.failedLoginCount, slot), or(isNull(users.lockedUntil), lte(users.lockedUntil, now))))
    .returning();
  return row;
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

/** An active officer of this bank, or undefined. */
export async function findActiveOfficer(db: Executor, id: number, bankId: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(and(eq(users.id, id), eq(users.bankId, bankId), eq(users.role, 'bank_officer'), eq(users.active, true)));
  return row;
}

export async function insertUser(tx: Executor, row: Omit<typeof users.$inferInsert, 'id'>): Promise<UserRow> {
  const [made] = await tx.insert(users).values(row).returning();
  return made!;
}

export async function updateUserRow(tx: Executor, id: number, set: Partial<typeof users.$inferInsert>): Promise<UserRow> {
  const [row] = await tx.update(users).set(set).where(eq(users.id, id)).returning();
  return row!;
}

/** The name a user goes by, or null (also for no such user). */
export async function userName(db: Executor, id: number): Promise<string | null> {
  const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, id));
  return row?.name ?? null;
}
