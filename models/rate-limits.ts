import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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
