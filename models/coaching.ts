import { and, asc, count, desc, eq, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Executor } from '../server/db';
import type { CoachingStatus } from '../server/domain/coaching';
import { queryRows } from '../server/sql';
import { applications, companies } from './applications';
import { users } from './users';

/** A coaching case: a company the desk follows from a near miss until it qualifies and is financed. */
export const coachingCases = pgTable('coaching_cases', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  uscc: text('uscc').notNull(),
  companyName: text('company_name').notNull(),
  phone: text('phone'),
  /** The company may be sent an SMS about its due dates (it said yes at the desk). */
  smsOptIn: boolean('sms_opt_in').notNull().default(false),
  targetProductIds: integer('target_product_ids').array().notNull(),
  /** The profile and need the near miss was judged on: what a watch re-matches. */
  company: jsonb('company'),
  need: jsonb('need'),
  status: text('status').$type<CoachingStatus>().notNull().default('open'),
  note: text('note'),
  watchId: integer('watch_id'),
  applicationId: integer('application_id').references(() => applications.id),
  openedBy: integer('opened_by').notNull().references(() => users.id),
  openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
  readyAt: timestamp('ready_at', { withTimezone: true }),
  appliedAt: timestamp('applied_at', { withTimezone: true }),
  financedAt: timestamp('financed_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  check('coaching_cases_status_check', sql`${t.status} in ('open','ready','applied','financed','closed')`),
  index('coaching_cases_uscc_idx').on(t.uscc),
  index('coaching_cases_status_idx').on(t.status, t.openedAt),
]);

/** One thing the company lacks (a failed criterion), with the plan to fix it and a date. */
export const coachingGaps = pgTable('coaching_gaps', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  caseId: integer('case_id').notNull().references(() => coachingCases.id),
  criterion: text('criterion').notNull(),
  hint: text('hint'),
  plan: text('plan').notNull(),
  dueOn: date('due_on').notNull(),
  doneAt: timestamp('done_at', { withTimezone: true }),
  remindedAt: timestamp('reminded_at', { withTimezone: true }),
}, (t) => [index('coaching_gaps_case_idx').on(t.caseId), index('coaching_gaps_due_idx').on(t.dueOn).where(sql`${t.doneAt} is null and ${t.remindedAt} is null`)]);

export type CoachingCaseRow = typeof coachingCases.$inferSelect;
export type CoachingGapRow = typeof coachingGaps.$inferSelect;

// ---- queries ----

export async function insertCase(tx: Executor, row: Omit<typeof coachingCases.$inferInsert, 'id'>, gaps: Omit<typeof coachingGaps.$inferInsert, 'id' | 'caseId'>[]) {
  const [made] = await tx.insert(coachingCases).values(row).returning();
  const madeGaps = gaps.length ? await tx.insert(coachingGaps).values(gaps.map((g) => ({ ...g, caseId: made!.id }))).returning() : [];
  return { row: made!, gaps: madeGaps };
}

export async function findCase(db: Executor, id: number, lock = false): Promise<CoachingCaseRow | undefined> {
  const q = db.select().from(coachingCases).where(eq(coachingCases.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function gapsOf(db: Executor, caseIds: number[]): Promise<CoachingGapRow[]> {
  if (caseIds.length === 0) return [];
  return db.select().from(coachingGaps).where(inArray(coachingGaps.caseId, caseIds)).orderBy(asc(coachingGaps.dueOn), asc(coachingGaps.id));
}

export async function updateCase(tx: Executor, id: number, set: Partial<typeof coachingCases.$inferInsert>): Promise<CoachingCaseRow> {
  const [row] = await tx.update(coachingCases).set(set).where(eq(coachingCases.id, id)).returning();
  return row!;
}

export interface CoachingFilter {
  status?: CoachingStatus;
  /** Cases with an unfinished gap due on or before this day. */
  dueBy?: string;
  uscc?: string;
}

export async function listCases(db: Executor, f: CoachingFilter, page: { page: number; pageSize: number }) {
  const where: SQL | undefined = and(
    f.status ? eq(coachingCases.status, f.status) : undefined,
    f.uscc ? eq(coachingCases.uscc, f.uscc) : undefined,
    f.dueBy ? sql`exists (select 1 from ${coachingGaps} g where g.case_id = ${coachingCases.id} and g.done_at is null and g.due_on <= ${f.dueBy}::date)` : undefined,
  );
  const rows = await db.select().from(coachingCases).where(where).orderBy(desc(coachingCases.openedAt), desc(coachingCases.id))
    .limit(page.pageSize).offset((page.page - 1) * page.pageSize);
  const [total] = await db.select({ n: count() }).from(coachingCases).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Active cases of a company (by USCC), oldest first: where a watch's news or a new application lands. */
export async function activeCasesOf(db: Executor, uscc: string, statuses: readonly CoachingStatus[]): Promise<CoachingCaseRow[]> {
  return db.select().from(coachingCases).where(and(eq(coachingCases.uscc, uscc), inArray(coachingCases.status, [...statuses]))).orderBy(asc(coachingCases.id)).for('update');
}

/** Unfinished gaps due by `day` not yet reminded of, with their case (active cases only), locked for the job. */
export async function dueGaps(tx: Executor, day: string, statuses: readonly CoachingStatus[]) {
  return tx.select({ gap: coachingGaps, kase: coachingCases }).from(coachingGaps).innerJoin(coachingCases, eq(coachingCases.id, coachingGaps.caseId))
    .where(and(isNull(coachingGaps.doneAt), isNull(coachingGaps.remindedAt), lte(coachingGaps.dueOn, day), inArray(coachingCases.status, [...statuses])))
    .orderBy(asc(coachingGaps.dueOn), asc(coachingGaps.id)).limit(500).for('update', { of: coachingGaps, skipLocked: true });
}

export async function markGapsReminded(tx: Executor, ids: number[], now: Date): Promise<void> {
  if (ids.length) await tx.update(coachingGaps).set({ remindedAt: now }).where(inArray(coachingGaps.id, ids));
}

export async function markGapDone(tx: Executor, caseId: number, gapId: number, done: boolean, now: Date): Promise<boolean> {
  const rows = await tx.update(coachingGaps).set({ doneAt: done ? now : null }).where(and(eq(coachingGaps.id, gapId), eq(coachingGaps.caseId, caseId))).returning({ id: coachingGaps.id });
  return rows.length > 0;
}

/**
 * Coached companies financed between from and to (by financing time), and how long each took from the case's
 * opening, in whole days (SQL integer arithmetic on the interval).
 */
export async function financedReport(db: Executor, from: Date, to: Date) {
  return queryRows<{ id: number; uscc: string; company_name: string; opened_at: string; financed_at: string; days: number }>(db, sql`
    select id, uscc, company_name, opened_at, financed_at, extract(day from financed_at - opened_at)::int as days
    from ${coachingCases} where status = 'financed' and financed_at >= ${from.toISOString()}::timestamptz and financed_at < ${to.toISOString()}::timestamptz
    order by financed_at, id`);
}

export async function openedBetween(db: Executor, from: Date, to: Date): Promise<number> {
  const [r] = await db.select({ n: count() }).from(coachingCases).where(sql`${coachingCases.openedAt} >= ${from.toISOString()}::timestamptz and ${coachingCases.openedAt} < ${to.toISOString()}::timestamptz`);
  return Number(r?.n ?? 0);
}

/** The USCC of the company a request was made for, or undefined when there is no such request. */
export async function usccOfApplication(db: Executor, applicationId: number): Promise<string | undefined> {
  const [row] = await db.select({ uscc: companies.uscc }).from(applications).innerJoin(companies, eq(companies.id, applications.companyId)).where(eq(applications.id, applicationId));
  return row?.uscc;
}
