import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Executor } from '../server/db';

/** One-time SMS codes: only a hash is kept; a code dies when used, expired, or after its tries. */
export const phoneCodes = pgTable('phone_codes', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  phone: text('phone').notNull(),
  purpose: text('purpose').notNull(),
  codeHash: text('code_hash').notNull(),
  triesLeft: integer('tries_left').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
}, (t) => [
  index('phone_codes_phone_idx').on(t.phone, t.purpose, t.createdAt),
]);

export type PhoneCodeRow = typeof phoneCodes.$inferSelect;

// ---- queries ----

/** A new code replaces the phone's earlier live codes for the purpose. */
export async function insertPhoneCode(tx: Executor, row: Omit<typeof phoneCodes.$inferInsert, 'id' | 'usedAt'>): Promise<void> {
  await tx.update(phoneCodes).set({ usedAt: row.createdAt })
    .where(and(eq(phoneCodes.phone, row.phone), eq(phoneCodes.purpose, row.purpose), isNull(phoneCodes.usedAt)));
  await tx.insert(phoneCodes).values(row);
}

/** The phone's latest unused code for the purpose (live, expired or out of tries), locked for the verify that reads it. */
export async function latestCodeFor(tx: Executor, phone: string, purpose: string): Promise<PhoneCodeRow | undefined> {
  const [row] = await tx.select().from(phoneCodes)
    .where(and(eq(phoneCodes.phone, phone), eq(phoneCodes.purpose, purpose), isNull(phoneCodes.usedAt)))
    .orderBy(desc(phoneCodes.id)).limit(1).for('update');
  return row;
}

/** Takes one try; answers the tries left after it. */
export async function spendTry(tx: Executor, id: number): Promise<number> {
  const [row] = await tx.update(phoneCodes).set({ triesLeft: sql`${phoneCodes.triesLeft} - 1` }).where(eq(phoneCodes.id, id)).returning({ left: phoneCodes.triesLeft });
  return row?.left ?? 0;
}

export async function useCode(tx: Executor, id: number, now: Date): Promise<void> {
  await tx.update(phoneCodes).set({ usedAt: now }).where(eq(phoneCodes.id, id));
}
