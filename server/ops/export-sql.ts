import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { migrationTags, type Db, type Executor } from '../db';
import { migrationsDir } from '../paths';
import { queryRows } from '../sql';

/** Rows per INSERT statement (and per page read): keeps statements small for any loader. */
const BATCH = 500;

interface Table {
  name: string;
  columns: { name: string; identity: boolean }[];
  key: string[];
  references: string[];
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The schema as the migrations build it: the same statements drizzle applies, in order. */
function migrationsSql(): string {
  return migrationTags.map((tag) => `-- migration ${tag}\n${readFileSync(path.join(migrationsDir, `${tag}.sql`), 'utf8').replace(/--> statement-breakpoint/g, '')}`).join('\n');
}

async function tables(tx: Executor): Promise<Table[]> {
  const rows = await queryRows<{ name: string; columns: { name: string; identity: boolean }[]; key: string[] | null; refs: string[] | null }>(tx, sql`
    select c.relname as name,
      (select json_agg(json_build_object('name', a.attname, 'identity', a.attidentity <> '') order by a.attnum)
         from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '') as columns,
      (select array_agg(a.attname::text order by array_position(i.indkey::int2[], a.attnum)) from pg_index i
         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey) where i.indrelid = c.oid and i.indisprimary) as key,
      (select array_agg(distinct r.relname::text) from pg_constraint f join pg_class r on r.oid = f.confrelid
         where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid) as refs
    from pg_class c where c.relkind in ('r', 'p') and c.relnamespace = 'public'::regnamespace order by c.relname`);
  const all = rows.map((r) => ({ name: r.name, columns: r.columns, key: r.key ?? [], references: r.refs ?? [] }));
  // Parents before children, so the foreign keys hold at every row.
  const ordered: Table[] = [];
  const placed = new Set<string>();
  while (ordered.length < all.length) {
    const ready = all.filter((t) => !placed.has(t.name) && t.references.every((r) => placed.has(r)));
    if (ready.length === 0) throw new Error('foreign keys form a cycle between tables');
    for (const t of ready) {
      ordered.push(t);
      placed.add(t.name);
    }
  }
  return ordered;
}

/** Reads a table page by page in primary-key order; each row comes back as a ready SQL literal tuple. */
async function* tableRows(tx: Executor, table: Table): AsyncGenerator<string[]> {
  const cols = table.columns.map((c) => `quote_nullable(${ident(c.name)})`).join(', ');
  const keyCols = table.key.map(ident).join(', ');
  const keyLits = table.key.map((k) => `quote_nullable(${ident(k)})`).join(', ');
  let after: string | null = null;
  for (;;) {
    const where: string = after ? `where (${keyCols}) > (${after})` : '';
    const order = table.key.length ? `order by ${keyCols} limit ${BATCH}` : '';
    const page = await queryRows<{ tuple: string; key: string | null }>(tx, sql.raw(
      `select '(' || concat_ws(', ', ${cols}) || ')' as tuple, ${table.key.length ? `concat_ws(', ', ${keyLits})` : 'null'} as key from ${ident(table.name)} ${where} ${order}`));
    if (page.length === 0) return;
    yield page.map((r) => r.tuple);
    if (!table.key.length || page.length < BATCH) return;
    after = page[page.length - 1]!.key;
  }
}

/**
 * Writes the whole database as one SQL file a PostgreSQL server loads into an empty database
 * (`psql -v ON_ERROR_STOP=1 -f rongma.sql`): the migrations' own DDL, every row as plain INSERTs
 * (no COPY, no pg_dump version syntax, so openGauss, KingbaseES or PolarDB take it too), identity
 * counters moved on, and the migration log so the service sees its schema applied. One snapshot:
 * read in a repeatable-read transaction while the service keeps running.
 */
export async function exportSql(db: Db, out: Writable, now = new Date()): Promise<Record<string, number>> {
  // Waits for the reader when its buffer is full, so a big export never piles up in memory.
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  return db.transaction(async (tx) => {
    const counts: Record<string, number> = {};
    await write(`-- Rongma (融码) database export, ${now.toISOString()}\n-- Load into an EMPTY database: psql -v ON_ERROR_STOP=1 -d rongma -f <this file>\nBEGIN;\nSET client_encoding = 'UTF8';\nSET TIME ZONE 'UTC';\n\n`);
    await write(`${migrationsSql()}\n`);
    const list = await tables(tx);
    for (const t of list) await write(`ALTER TABLE ${ident(t.name)} DISABLE TRIGGER USER;\n`);
    for (const t of list) {
      let count = 0;
      const columns = t.columns.map((c) => ident(c.name)).join(', ');
      const overriding = t.columns.some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
      for await (const tuples of tableRows(tx, t)) {
        count += tuples.length;
        await write(`INSERT INTO ${ident(t.name)} (${columns})${overriding} VALUES\n${tuples.join(',\n')};\n`);
      }
      counts[t.name] = count;
      for (const c of t.columns.filter((col) => col.identity)) {
        await write(`DO $$ BEGIN PERFORM setval(pg_get_serial_sequence('${ident(t.name)}', '${c.name}'), coalesce((SELECT max(${ident(c.name)}) FROM ${ident(t.name)}), 0) + 1, false); END $$;\n`);
      }
    }
    for (const t of list) await write(`ALTER TABLE ${ident(t.name)} ENABLE TRIGGER USER;\n`);
    const applied = await queryRows<{ tuple: string }>(tx, sql`select '(' || quote_literal(hash) || ', ' || quote_nullable(created_at) || ')' as tuple from drizzle.__drizzle_migrations order by id`);
    await write(`\nCREATE SCHEMA IF NOT EXISTS drizzle;\nCREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint);\n`);
    if (applied.length) await write(`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES\n${applied.map((r) => r.tuple).join(',\n')};\n`);
    await write(`COMMIT;\n-- rows: ${JSON.stringify(counts)}\n`);
    return counts;
  }, { isolationLevel: 'repeatable read', accessMode: 'read only' });
}
