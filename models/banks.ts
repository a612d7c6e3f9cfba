import { and, asc, count, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { containsPattern } from '../server/sql';
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const bankKinds = ['state_owned', 'joint_stock', 'city_commercial', 'rural_commercial', 'policy', 'village', 'foreign'] as const;
export type BankKind = (typeof bankKinds)[number];

export const banks = pgTable('banks', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
  kind: text('kind').$type<BankKind>().notNull(),
  active: boolean('active').notNull().default(true),
  /** Where a lead goes when no district rule names a branch. */
  defaultBranchId: integer('default_branch_id'),
  webhookUrl: text('webhook_url'),
  webhookSecret: text('webhook_secret'),
  /** Changes from this moment on are delivered to the webhook (not the whole history before it was set). */
  webhookSince: timestamp('webhook_since', { withTimezone: true }),
  /**
   * Last number given to this bank's change feed. `sequenceFeeds` numbers committed outbox rows with
   * the bank row locked (readers only; writers never touch it), so numbers have no gaps and
   * `GET /api/leads?since=` never skips or repeats a change.
   */
  feedSeq: bigint('feed_seq', { mode: 'number' }).notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('banks_kind_check', sql`${t.kind} in ('state_owned','joint_stock','city_commercial','rural_commercial','policy','village','foreign')`),
]);

export const branches = pgTable('branches', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  bankId: integer('bank_id').notNull().references(() => banks.id),
  name: text('name').notNull(),
  district: text('district'),
  address: text('address'),
  phone: text('phone'),
  active: boolean('active').notNull().default(true),
  /** queue: officers claim leads themselves; round_robin: each new lead goes to the next active officer. */
  dispatchMode: text('dispatch_mode').$type<'queue' | 'round_robin'>().notNull().default('queue'),
  lastAssignedUserId: integer('last_assigned_user_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('branches_bank_idx').on(t.bankId), check('branches_dispatch_check', sql`${t.dispatchMode} in ('queue','round_robin')`)]);

/** A bank's routing: leads from a district go to a branch. */
export const routingRules = pgTable('routing_rules', {
  bankId: integer('bank_id').notNull().references(() => banks.id),
  district: text('district').notNull(),
  branchId: integer('branch_id').notNull().references(() => branches.id),
}, (t) => [primaryKey({ columns: [t.bankId, t.district] })]);

export type BankRow = typeof banks.$inferSelect;
export type BranchRow = typeof branches.$inferSelect;

// ---- queries ----

export interface BankFilter {
  kind?: BankKind;
  q?: string;
  includeInactive?: boolean;
  page: number;
  pageSize: number;
}

/** Banks with the number of their published products. */
export async function listBanks(db: Executor, f: BankFilter) {
  const where = and(
    f.includeInactive ? undefined : eq(banks.active, true),
    f.kind ? eq(banks.kind, f.kind) : undefined,
    f.q ? or(ilike(banks.name, containsPattern(f.q)), ilike(banks.shortName, containsPattern(f.q)), ilike(banks.code, containsPattern(f.q))) : undefined,
  );
  // Written out: drizzle would render the outer column unqualified inside the subquery.
  const productCount = sql<number>`(select count(*)::int from products p where p.bank_id = "banks"."id" and p.status = 'published')`;
  const rows = await db.select({ bank: banks, productCount }).from(banks).where(where)
    .orderBy(asc(banks.id)).limit(f.pageSize).offset((f.page - 1) * f.pageSize);
  const [total] = await db.select({ n: count() }).from(banks).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

/** These banks' short names by id, as a JSON object column (what an applicant's message calls them). */
export function bankShortNamesSql(bankIds: number[]): SQL {
  return sql`(select json_object_agg(id, short_name) from ${banks} where id = any(${sql.param(bankIds)}::int[]))`;
}

export async function findBank(db: Executor, id: number): Promise<BankRow | undefined> {
  const [row] = await db.select().from(banks).where(eq(banks.id, id));
  return row;
}

export async function listBranches(db: Executor, bankId: number, includeInactive = false): Promise<BranchRow[]> {
  return db.select().from(branches)
    .where(and(eq(branches.bankId, bankId), includeInactive ? undefined : eq(branches.active, true)))
    .orderBy(asc(branches.district), asc(branches.id));
}

/** A branch of this bank, or undefined (also for another bank's branch). */
export async function findBranch(db: Executor, bankId: number, branchId: number): Promise<BranchRow | undefined> {
  const [row] = await db.select().from(branches).where(and(eq(branches.id, branchId), eq(branches.bankId, bankId)));
  return row;
}

/** Whether a bank with this id exists. */
export async function bankExists(db: Executor, id: number): Promise<boolean> {
  return (await db.select({ id: banks.id }).from(banks).where(eq(banks.id, id))).length > 0;
}

export async function insertBank(tx: Executor, row: Omit<typeof banks.$inferInsert, 'id'>): Promise<BankRow> {
  const [made] = await tx.insert(banks).values(row).returning();
  return made!;
}

export async function updateBankRow(tx: Executor, id: number, set: Partial<typeof banks.$inferInsert>): Promise<BankRow> {
  const [row] = await tx.update(banks).set(set).where(eq(banks.id, id)).returning();
  return row!;
}

export async function insertBranch(tx: Executor, row: Omit<typeof branches.$inferInsert, 'id'>): Promise<BranchRow> {
  const [made] = await tx.insert(branches).values(row).returning();
  return made!;
}

export async function updateBranchRow(tx: Executor, id: number, set: Partial<typeof branches.$inferInsert>): Promise<BranchRow> {
  const [row] = await tx.update(branches).set(set).where(eq(branches.id, id)).returning();
  return row!;
}

/** The ids of every branch of a bank, active or not. */
export async function branchIdsOf(db: Executor, bankId: number): Promise<Set<number>> {
  return new Set((await db.select({ id: branches.id }).from(branches).where(eq(branches.bankId, bankId))).map((b) => b.id));
}
