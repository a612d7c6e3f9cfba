import { createHash } from 'node:crypto';
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './db';

/** Rows of a raw SQL query; both drivers (PGlite and node-postgres) answer `{rows}`. */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** What `queryPrepared` reaches past Drizzle's public API for: its session and SQL dialect (both drivers have them). */
interface DrizzleInternals {
  session: { prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string | undefined, arrayMode: boolean): { execute(): Promise<unknown> } };
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
}

/**
 * Statement names by text. Bounded: past this many texts (the hot path has a few dozen), a new text runs
 * unnamed, so a statement whose text wrongly carried values could not fill every connection with plans.
 */
const MAX_NAMED_STATEMENTS = 200;
const statementNames = new Map<string, string>();

/**
 * `queryRows` as a named prepared statement: on a PostgreSQL server each connection parses and plans the
 * text once and then only binds, where an unnamed statement is planned on every call (the submission's
 * checks took 1.2 ms of the server's CPU to plan and 0.16 ms to run). For the hot path's statements only,
 * whose text depends on the shape of the request, never on its values (the name is a hash of the text).
 * PGlite ignores the name. Not for a connection pooler in transaction mode (PgBouncer < 1.21).
 */
export async function queryPrepared<T>(db: Executor, query: SQL): Promise<T[]> {
  const { session, dialect } = db as unknown as DrizzleInternals;
  const built = dialect.sqlToQuery(query);
  let name = statementNames.get(built.sql);
  if (!name && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `r${createHash('sha1').update(built.sql).digest('hex').slice(0, 24)}`;
    statementNames.set(built.sql, name);
  }
  const result = (await session.prepareQuery(built, undefined, name, false).execute()) as { rows: T[] };
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
 * checked when the whole statement ends, so a row may refer to one inserted beside it. Prepared (`queryPrepared`):
 * the statements' text must not carry values.
 */
export async function executeTogether(db: Executor, statements: SQL[]): Promise<void> {
  if (statements.length === 0) return;
  await queryPrepared(db, statements.length === 1 ? statements[0]! : sql`with ${sql.join(statements.map((s, i) => sql`${sql.raw(`w${i}`)} as (${s})`), sql`, `)} select 1`);
}

/**
 * An INSERT of whole rows sent as one JSON parameter (`jsonb_populate_recordset`): one parameter whatever the
 * row and column count, so the statement text depends only on the table and the columns given, and building
 * it costs a JSON.stringify. At least one row; every row must give the same columns (a key whose value is
 * undefined in the first row is left out, so the column takes its default); ids may be given (OVERRIDING SYSTEM VALUE:
 * an id taken from the sequence beforehand). `tail` follows the SELECT: a WHERE, ON CONFLICT, RETURNING.
 */
export function insertRowsSql<T extends PgTable>(table: T, rows: (T['$inferInsert'] & { id?: number })[], tail: SQL = sql``): SQL {
  if (rows.length === 0) throw new Error(`insertRowsSql: no rows for ${getTableName(table)} (leave the statement out)`);
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const keys = Object.keys(rows[0]!).filter((k) => (rows[0] as Record<string, unknown>)[k] !== undefined);
  const names = keys.map((k) => {
    const column = columns[k];
    if (!column) throw new Error(`insertRowsSql: ${k} is not a column`);
    return column.name;
  });
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(keys.map((k, i) => [names[i], (r as Record<string, unknown>)[k] ?? null]))));
  const list = sql.raw(names.map((n) => `"${n}"`).join(', '));
  return sql`insert into ${table} (${list}) overriding system value select ${list} from jsonb_populate_recordset(null::${table}, ${json}::jsonb) ${tail}`;
}
