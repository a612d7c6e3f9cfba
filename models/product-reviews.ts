import { and, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Executor } from '../server/db';
import { banks } from './banks';
import { products, type ProductRow } from './products';
import { users } from './users';

export const reviewActions = ['published', 'retired', 'returned'] as const;
export type ReviewAction = (typeof reviewActions)[number];

/** The desk's review history of a product version: published, retired, or returned to its bank with a comment. */
export const productReviews = pgTable('product_reviews', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  productId: integer('product_id').notNull().references(() => products.id),
  bankId: integer('bank_id').notNull().references(() => banks.id),
  action: text('action').$type<ReviewAction>().notNull(),
  comment: text('comment'),
  actorId: integer('actor_id').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('product_reviews_action_check', sql`${t.action} in ('published','retired','returned')`),
  index('product_reviews_product_idx').on(t.productId, t.createdAt),
  index('product_reviews_bank_idx').on(t.bankId, t.createdAt),
]);

export type ProductReviewRow = typeof productReviews.$inferSelect;

// ---- queries ----

/** Appends one review; call it with the transaction of the change it records. */
export async function recordReview(db: Executor, r: { product: ProductRow; action: ReviewAction; comment?: string | null; actorId?: number | null; at: Date }): Promise<ProductReviewRow> {
  const [row] = await db.insert(productReviews).values({
    productId: r.product.id, bankId: r.product.bankId, action: r.action, comment: r.comment ?? null, actorId: r.actorId ?? null, createdAt: r.at,
  }).returning();
  return row!;
}

/** The latest review of each of these versions (versions never reviewed are absent). */
export async function latestReviews(db: Executor, productIds: number[]): Promise<Map<number, ProductReviewRow>> {
  if (productIds.length === 0) return new Map();
  const rows = await db.selectDistinctOn([productReviews.productId]).from(productReviews)
    .where(inArray(productReviews.productId, productIds))
    .orderBy(productReviews.productId, desc(productReviews.createdAt), desc(productReviews.id));
  return new Map(rows.map((r) => [r.productId, r]));
}

export interface FamilyReview {
  review: ProductReviewRow;
  version: number;
  actor: { id: number; name: string } | null;
}

/** The review history of a whole product (every version of bank + code), newest first. */
export async function familyReviews(db: Executor, family: { bankId: number; code: string }, p: { page: number; pageSize: number }, visibleVersions?: SQL): Promise<{ rows: FamilyReview[]; total: number }> {
  const where = and(eq(products.bankId, family.bankId), eq(products.code, family.code), visibleVersions);
  const found = await db.select({ review: productReviews, version: products.version, actorId: users.id, actorName: sql<string>`coalesce(${users.name}, ${users.username})` })
    .from(productReviews).innerJoin(products, eq(products.id, productReviews.productId)).leftJoin(users, eq(users.id, productReviews.actorId))
    .where(where).orderBy(desc(productReviews.createdAt), desc(productReviews.id))
    .limit(p.pageSize).offset((p.page - 1) * p.pageSize);
  const [total] = await db.select({ n: count() }).from(productReviews).innerJoin(products, eq(products.id, productReviews.productId)).where(where);
  return {
    rows: found.map((r) => ({ review: r.review, version: r.version, actor: r.actorId === null ? null : { id: r.actorId, name: r.actorName } })),
    total: Number(total?.n ?? 0),
  };
}
