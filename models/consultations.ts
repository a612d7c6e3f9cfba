import { and, count, desc, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Executor } from '../server/db';
import { containsPattern as likeText, queryRows } from '../server/sql';
import { users } from './users';

export const consultationChannels = ['walk_in', 'phone', 'online', 'visit'] as const;
export type ConsultationChannel = (typeof consultationChannels)[number];
export const consultationOutcomes = ['informed', 'applied', 'coaching', 'referred', 'other'] as const;
export type ConsultationOutcome = (typeof consultationOutcomes)[number];

/** The desk's ledger of consultations (咨询台账): one row per walk-in, call, online or on-site visit. */
export const consultations = pgTable('consultations', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  uscc: text('uscc'),
  companyName: text('company_name').notNull(),
  contactName: text('contact_name'),
  phone: text('phone'),
  channel: text('channel').$type<ConsultationChannel>().notNull(),
  topics: jsonb('topics').$type<string[]>().notNull(),
  productIds: integer('product_ids').array().notNull().default(sql`'{}'::integer[]`),
  note: text('note'),
  outcome: text('outcome').$type<ConsultationOutcome>().notNull(),
  recordedBy: integer('recorded_by').notNull().references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [
  check('consultations_channel_check', sql`${t.channel} in ('walk_in','phone','online','visit')`),
  check('consultations_outcome_check', sql`${t.outcome} in ('informed','applied','coaching','referred','other')`),
  index('consultations_created_idx').on(t.createdAt),
  index('consultations_uscc_idx').on(t.uscc),
]);

export type ConsultationRow = typeof consultations.$inferSelect;

// ---- queries ----

export interface ConsultationFilter {
  from?: Date;
  to?: Date;
  outcome?: ConsultationOutcome;
  /** Company name, USCC, contact name or note contains it. */
  q?: string;
}


function whereOf(f: ConsultationFilter): SQL | undefined {
  return and(
    f.from ? gte(consultations.createdAt, f.from) : undefined,
    f.to ? lt(consultations.createdAt, f.to) : undefined,
    f.outcome ? eq(consultations.outcome, f.outcome) : undefined,
    f.q ? or(ilike(consultations.companyName, likeText(f.q)), ilike(consultations.uscc, likeText(f.q)), ilike(consultations.contactName, likeText(f.q)), ilike(consultations.note, likeText(f.q))) : undefined,
  );
}

export async function insertConsultation(tx: Executor, row: Omit<typeof consultations.$inferInsert, 'id'>): Promise<ConsultationRow> {
  const [made] = await tx.insert(consultations).values(row).returning();
  return made!;
}

export type ConsultationListRow = ConsultationRow & { recordedByName: string };
const listColumns = { row: consultations, recordedByName: sql<string>`coalesce(${users.name}, ${users.username})` };

export async function listConsultations(db: Executor, f: ConsultationFilter, page: { page: number; pageSize: number }) {
  const where = whereOf(f);
  const rows = await db.select(listColumns).from(consultations).innerJoin(users, eq(users.id, consultations.recordedBy))
    .where(where).orderBy(desc(consultations.createdAt), desc(consultations.id)).limit(page.pageSize).offset((page.page - 1) * page.pageSize);
  const [total] = await db.select({ n: count() }).from(consultations).where(where);
  return { rows: rows.map((r) => ({ ...r.row, recordedByName: r.recordedByName })), total: Number(total?.n ?? 0) };
}

/** Every row the filter finds, for the export (capped: a ledger export is a year at most). */
export async function allConsultations(db: Executor, f: ConsultationFilter, cap = 50_000): Promise<ConsultationListRow[]> {
  const rows = await db.select(listColumns).from(consultations).innerJoin(users, eq(users.id, consultations.recordedBy))
    .where(whereOf(f)).orderBy(desc(consultations.createdAt), desc(consultations.id)).limit(cap);
  return rows.map((r) => ({ ...r.row, recordedByName: r.recordedByName }));
}

/** Counts per week (Monday, Asia/Shanghai) and outcome. */
export async function consultationCounts(db: Executor, f: ConsultationFilter): Promise<{ week: string; outcome: ConsultationOutcome; n: number }[]> {
  const where = whereOf(f);
  return queryRows(db, sql`
    select to_char(date_trunc('week', ${consultations.createdAt} at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as week, ${consultations.outcome} as outcome, count(*)::int as n
    from ${consultations} ${where ? sql`where ${where}` : sql``}
    group by 1, 2 order by 1, 2`);
}

