import { eq, inArray } from 'drizzle-orm';
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Executor } from '../server/db';
import { randomCode } from '../server/domain/codes';

/** Short links for SMS (`/t/:code`): a random code standing for a path on this site. */
export const shortLinks = pgTable('short_links', {
  code: text('code').primaryKey(),
  target: text('target').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** The short code of a path, made once (the same path keeps its code). 12 random characters, 60 bits. */
export async function shortCodeFor(tx: Executor, target: string, now: Date): Promise<string> {
  const [made] = await tx.insert(shortLinks).values({ code: randomCode(12), target, createdAt: now })
    .onConflictDoNothing({ target: shortLinks.target }).returning({ code: shortLinks.code });
  if (made) return made.code;
  const [found] = await tx.select({ code: shortLinks.code }).from(shortLinks).where(eq(shortLinks.target, target));
  return found!.code;
}

export async function targetOf(db: Executor, code: string): Promise<string | undefined> {
  const [row] = await db.select({ target: shortLinks.target }).from(shortLinks).where(eq(shortLinks.code, code));
  return row?.target;
}

/** The short codes of many paths at once (made where missing), by path: two statements for a whole batch. */
export async function shortCodesFor(tx: Executor, targets: string[], now: Date): Promise<Map<string, string>> {
  if (targets.length === 0) return new Map();
  await tx.insert(shortLinks).values(targets.map((target) => ({ code: randomCode(12), target, createdAt: now }))).onConflictDoNothing({ target: shortLinks.target });
  const rows = await tx.select({ code: shortLinks.code, target: shortLinks.target }).from(shortLinks).where(inArray(shortLinks.target, targets));
  return new Map(rows.map((r) => [r.target, r.code]));
}
