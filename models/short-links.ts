import { eq, sql } from 'drizzle-orm';
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { Executor } from '../server/db';
import { randomCode } from '../server/domain/codes';
import { queryRows } from '../server/sql';

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

/**
 * The short codes of many paths at once (made where missing), by path, in one statement whatever the count
 * (the paths and new codes travel as two array parameters). A path linked before keeps its code: the no-op
 * update only lets the statement return it.
 */
export async function shortCodesFor(tx: Executor, targets: string[], now: Date): Promise<Map<string, string>> {
  const paths = [...new Set(targets)];
  if (paths.length === 0) return new Map();
  const rows = await queryRows<{ code: string; target: string }>(tx, sql`
    insert into short_links (code, target, created_at)
    select c, t, ${now.toISOString()}::timestamptz from unnest(${sql.param(paths.map(() => randomCode(12)))}::text[], ${sql.param(paths)}::text[]) as u(c, t)
    on conflict (target) do update set target = excluded.target
    returning code, target`);
  return new Map(rows.map((r) => [r.target, r.code]));
}
