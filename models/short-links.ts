import { eq, inArray, sql } from 'drizzle-orm';
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
 * The short codes of many paths at once (made where missing), by path: one statement for a whole batch (the
 * paths and new codes travel as two array parameters), a second only for a path another transaction linked
 * meanwhile.
 */
export async function shortCodesFor(tx: Executor, targets: string[], now: Date): Promise<Map<string, string>> {
  if (targets.length === 0) return new Map();
  const paths = sql.param(targets);
  const rows = await queryRows<{ code: string; target: string }>(tx, sql`
    with made as (
      insert into short_links (code, target, created_at)
      select c, t, ${now.toISOString()}::timestamptz from unnest(${sql.param(targets.map(() => randomCode(12)))}::text[], ${paths}::text[]) as u(c, t)
      on conflict (target) do nothing
      returning code, target)
    select code, target from made
    union all
    select code, target from short_links where target = any(${paths}::text[])`);
  const codes = new Map(rows.map((r) => [r.target, r.code]));
  const missing = targets.filter((t) => !codes.has(t));
  if (missing.length) {
    for (const r of await tx.select({ code: shortLinks.code, target: shortLinks.target }).from(shortLinks).where(inArray(shortLinks.target, missing))) codes.set(r.target, r.code);
  }
  return codes;
}
