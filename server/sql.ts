import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
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

/**
 * Several writes (INSERT, UPDATE or DELETE statements, none with a WITH of its own) as one statement, each
 * a data-modifying CTE: one round trip instead of one each. All run to completion on one snapshot, so none
 * sees another's rows (they must not depend on one another, nor change one row twice); foreign keys are
 * checked when the whole statement ends, so a row may refer to one inserted beside it.
 */
export async function executeTogether(db: Executor, statements: SQL[]): Promise<void> {
  if (statements.length === 0) return;
  if (statements.length === 1) {
    await db.execute(statements[0]!);
    return;
  }
  await db.execute(sql`with ${sql.join(statements.map((s, i) => sql`${sql.raw(`w${i}`)} as (${s})`), sql`, `)} select 1`);
}

/**
 * An INSERT of whole rows sent as one JSON parameter (`jsonb_populate_recordset`): one parameter whatever the
 * row and column count, so the statement text depends only on the table and the columns given, and building
 * it costs a JSON.stringify. Every row must give the same columns; ids may be given (OVERRIDING SYSTEM VALUE:
 * an id taken from the sequence beforehand). `tail` follows the SELECT: a WHERE, ON CONFLICT, RETURNING.
 */
export function insertRowsSql<T extends PgTable>(table: T, rows: T['$inferInsert'][], tail: SQL = sql``): SQL {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const keys = Object.keys(rows[0] ?? {}).filter((k) => (rows[0] as Record<string, unknown>)[k] !== undefined);
  const names = keys.map((k) => {
    const column = columns[k];
    if (!column) throw new Error(`insertRowsSql: ${k} is not a column`);
    return column.name;
  });
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(keys.map((k, i) => [names[i], (r as Record<string, unknown>)[k] ?? null]))));
  const list = sql.raw(names.map((n) => `"${n}"`).join(', '));
  return sql`insert into ${table} (${list}) overriding system value select ${list} from jsonb_populate_recordset(null::${table}, ${json}::jsonb) ${tail}`;
}
