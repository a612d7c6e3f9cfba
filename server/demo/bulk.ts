import { sql } from 'drizzle-orm';
import type { Executor } from '../db';
import { queryRows } from '../sql';

/** Column name → PostgreSQL type, as `jsonb_to_recordset` needs them. */
export type Columns = Record<string, string>;

/**
 * Inserts many rows in one statement with one parameter (a JSON array), which both drivers take
 * at any size; ids come from the caller (`overriding system value`), reserved with `reserveIds`.
 * Values that are the same for many rows can come from `shared` (a JSON object) by key.
 */
export async function insertRows(tx: Executor, table: string, columns: Columns, rows: Record<string, unknown>[], shared?: { column: string; type: string; key: string; values: Record<string, unknown> }) {
  if (!rows.length) return;
  const names = Object.keys(columns);
  const defs = names.map((n) => `${n} ${columns[n]}`).join(', ');
  const target = [...names, ...(shared ? [shared.column] : [])].join(', ');
  const extra = shared ? sql`, (${JSON.stringify(shared.values)}::jsonb -> x.${sql.raw(shared.key)}::text)::${sql.raw(shared.type)}` : sql``;
  await tx.execute(sql`insert into ${sql.raw(table)} (${sql.raw(target)}) overriding system value
    select ${sql.raw(names.map((n) => `x.${n}`).join(', '))}${extra} from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${sql.raw(defs)})`);
}

/** `n` fresh ids from a table's identity sequence, so rows can refer to each other before insertion. */
export async function reserveIds(tx: Executor, table: string, n: number): Promise<number[]> {
  if (n === 0) return [];
  const rows = await queryRows<{ id: string | number }>(tx, sql`select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${n})`);
  return rows.map((r) => Number(r.id));
}
