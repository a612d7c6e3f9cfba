import type { SQL } from 'drizzle-orm';
import type { Executor } from './db';

/** Rows of a raw SQL query; both drivers (PGlite and node-postgres) answer `{rows}`. */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * A `q=` search term as an ILIKE pattern that matches it literally anywhere: `%`, `_` and `\` in the term are
 * escaped (PostgreSQL's default LIKE escape is `\`), so `5%` finds "5%" and not every "5…".
 */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
