import { and, asc, count, desc, eq, gte, ilike, lte, or, sql, type SQL } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Criteria } from '../matchers/criteria';
import type { GuaranteeType, ProductStatus, ProductType, RepaymentMethod } from '../server/domain/catalogue';
import { banks } from './banks';
import type { Executor } from '../server/db';
import { containsPattern } from '../server/sql';

/**
 * One row per product version. A product is the family of rows sharing (bank_id, code); leads point
 * at the exact version row they were made from. At most one published and one draft version per
 * family; publishing a draft retires the published version it supersedes.
 */
export const products = pgTable('products', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  bankId: integer('bank_id').notNull().references(() => banks.id),
  code: text('code').notNull(),
  version: integer('version').notNull(),
  status: text('status').$type<ProductStatus>().notNull(),
  name: text('name').notNull(),
  type: text('type').$type<ProductType>().notNull(),
  amountMin: bigint('amount_min', { mode: 'number' }).notNull(),
  amountMax: bigint('amount_max', { mode: 'number' }).notNull(),
  termMinMonths: integer('term_min_months').notNull(),
  termMaxMonths: integer('term_max_months').notNull(),
  /** Annual percent, two decimals; returned by the drivers as strings and kept exact. */
  rateMin: numeric('rate_min', { precision: 5, scale: 2 }).notNull(),
  rateMax: numeric('rate_max', { precision: 5, scale: 2 }).notNull(),
  repaymentMethods: jsonb('repayment_methods').$type<RepaymentMethod[]>().notNull(),
  guaranteeTypes: jsonb('guarantee_types').$type<GuaranteeType[]>().notNull(),
  approvalDays: integer('approval_days').notNull(),
  firstLoanFriendly: boolean('first_loan_friendly').notNull().default(false),
  criteria: jsonb('criteria').$type<Criteria>().notNull().default({}),
  description: text('description').notNull().default(''),
  materials: jsonb('materials').$type<string[]>().notNull().default([]),
  supersededById: integer('superseded_by_id'),
  createdBy: integer('created_by'),
  updatedBy: integer('updated_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('products_family_version_uq').on(t.bankId, t.code, t.version),
  uniqueIndex('products_one_published_uq').on(t.bankId, t.code).where(sql`${t.status} = 'published'`),
  uniqueIndex('products_one_draft_uq').on(t.bankId, t.code).where(sql`${t.status} = 'draft'`),
  index('products_status_type_idx').on(t.status, t.type),
  check('products_status_check', sql`${t.status} in ('draft','published','retired')`),
  check('products_amount_check', sql`${t.amountMin} > 0 and ${t.amountMin} <= ${t.amountMax}`),
  check('products_term_check', sql`${t.termMinMonths} > 0 and ${t.termMinMonths} <= ${t.termMaxMonths}`),
  check('products_rate_check', sql`${t.rateMin} >= 0 and ${t.rateMin} <= ${t.rateMax}`),
]);

export type ProductRow = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;

/** Small key/value facts about this installation (e.g. whether the demo seed ran). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// ---- queries ----

/** The editable content of a product version, in API units. */
export interface ProductFields {
  name: string;
  type: ProductType;
  amount: { min: number; max: number };
  termMonths: { min: number; max: number };
  rate: { min: number; max: number };
  repaymentMethods: RepaymentMethod[];
  guaranteeTypes: GuaranteeType[];
  approvalDays: number;
  firstLoanFriendly: boolean;
  criteria: Criteria;
  description: string;
  materials: string[];
}

/** Column values for a version's fields; rates go to numeric(5,2) as exact decimal strings. */
export function productColumns(f: ProductFields) {
  return {
    name: f.name,
    type: f.type,
    amountMin: f.amount.min,
    amountMax: f.amount.max,
    termMinMonths: f.termMonths.min,
    termMaxMonths: f.termMonths.max,
    rateMin: f.rate.min.toFixed(2),
    rateMax: f.rate.max.toFixed(2),
    repaymentMethods: f.repaymentMethods,
    guaranteeTypes: f.guaranteeTypes,
    approvalDays: f.approvalDays,
    firstLoanFriendly: f.firstLoanFriendly,
    criteria: f.criteria,
    description: f.description,
    materials: f.materials,
  };
}

/** The fields of a stored version, in API units (the inverse of productColumns). */
export function productFields(r: ProductRow): ProductFields {
  return {
    name: r.name,
    type: r.type,
    amount: { min: r.amountMin, max: r.amountMax },
    termMonths: { min: r.termMinMonths, max: r.termMaxMonths },
    rate: { min: Number(r.rateMin), max: Number(r.rateMax) },
    repaymentMethods: r.repaymentMethods,
    guaranteeTypes: r.guaranteeTypes,
    approvalDays: r.approvalDays,
    firstLoanFriendly: r.firstLoanFriendly,
    criteria: r.criteria,
    description: r.description,
    materials: r.materials,
  };
}

export interface ProductWithBank {
  product: ProductRow;
  bank: { id: number; code: string; name: string; shortName: string };
}

const bankColumns = { id: banks.id, code: banks.code, name: banks.name, shortName: banks.shortName };

export interface ProductFilter {
  /** Who may see what (drafts of one's own bank, …); built by the caller from the actor. */
  visibility?: SQL;
  status?: ProductStatus;
  type?: ProductType;
  bankId?: number;
  amount?: number;
  district?: string;
  q?: string;
  firstLoanFriendly?: boolean;
  page: number;
  pageSize: number;
}

function filterWhere(f: Omit<ProductFilter, 'page' | 'pageSize'>): SQL | undefined {
  const like = f.q ? containsPattern(f.q) : undefined;
  return and(
    f.visibility,
    f.status ? eq(products.status, f.status) : undefined,
    f.type ? eq(products.type, f.type) : undefined,
    f.bankId !== undefined ? eq(products.bankId, f.bankId) : undefined,
    f.amount !== undefined ? and(lte(products.amountMin, f.amount), gte(products.amountMax, f.amount)) : undefined,
    f.firstLoanFriendly !== undefined ? eq(products.firstLoanFriendly, f.firstLoanFriendly) : undefined,
    // A product without a district list serves every district.
    f.district ? sql`(coalesce(jsonb_array_length(${products.criteria}->'districts'), 0) = 0
      or ${products.criteria}->'districts' @> ${JSON.stringify([f.district])}::jsonb)` : undefined,
    like ? or(ilike(products.name, like), ilike(products.description, like), ilike(banks.name, like), ilike(banks.shortName, like)) : undefined,
  );
}

export async function listProducts(db: Executor, f: ProductFilter): Promise<{ rows: ProductWithBank[]; total: number }> {
  const where = filterWhere(f);
  const rows = await db.select({ product: products, bank: bankColumns }).from(products)
    .innerJoin(banks, eq(banks.id, products.bankId)).where(where)
    .orderBy(asc(banks.id), asc(products.code), desc(products.version))
    .limit(f.pageSize).offset((f.page - 1) * f.pageSize);
  const [total] = await db.select({ n: count() }).from(products).innerJoin(banks, eq(banks.id, products.bankId)).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Every matching version, unpaged (exports). */
export async function allProducts(db: Executor, f: Omit<ProductFilter, 'page' | 'pageSize'>): Promise<ProductWithBank[]> {
  return db.select({ product: products, bank: bankColumns }).from(products)
    .innerJoin(banks, eq(banks.id, products.bankId)).where(filterWhere(f))
    .orderBy(asc(banks.id), asc(products.code), desc(products.version));
}

export async function findProduct(db: Executor, id: number, visibility?: SQL, lock = false): Promise<ProductWithBank | undefined> {
  const q = db.select({ product: products, bank: bankColumns }).from(products)
    .innerJoin(banks, eq(banks.id, products.bankId)).where(and(eq(products.id, id), visibility));
  const [row] = lock ? await q.for('update', { of: products }) : await q;
  return row;
}

/** Every version of one product, newest first, locked for the caller's transaction. */
export async function lockFamily(db: Executor, bankId: number, code: string): Promise<ProductRow[]> {
  return db.select().from(products).where(and(eq(products.bankId, bankId), eq(products.code, code)))
    .orderBy(desc(products.version)).for('update');
}
