import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { banks } from './banks';
import { products } from './products';
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
