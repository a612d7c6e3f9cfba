// `npm run bench:reports [-- --pg-leads N] [--pglite-leads N] [--runs R] [--only postgres|pglite] [--fresh]`:
// loads a year of activity (1,000,000 leads on the PostgreSQL server, 100,000 on PGlite) with the demo
// generator and times each desk report: median and p95 over R runs, beside a reference query (a plain
// count of the same leads) timed in the same run. The loaded databases are kept for the next run
// (PostgreSQL: database rongma_bench_reports; PGlite: a folder in the temp dir); --fresh reloads them.
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, type Database } from '../../server/db';
import { generateActivity } from '../../server/demo/activity';
import { seedDemo } from '../../server/seed';
import { queryRows } from '../../server/sql';
import { bankFigures, channelFunnel, exportRows, summaryFigures, weeklyTrend, type ReportBasis, type ReportFilter } from '../../models/reports';
import { refreshReportRollup } from '../../models/rollup-refresh';

const { values } = parseArgs({
  options: {
    'pg-leads': { type: 'string', default: '1000000' }, 'pglite-leads': { type: 'string', default: '100000' },
    runs: { type: 'string', default: '15' }, only: { type: 'string' }, fresh: { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const TARGET_MS = 300;
const NOW = new Date('2026-11-20T07:00:00Z');
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * q) - 1)]!;

async function postgres(): Promise<Database> {
  const base = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const name = 'rongma_bench_reports';
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount;
  if (exists && values.fresh) await admin.query(`drop database "${name}" with (force)`);
  if (!exists || values.fresh) await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return openDatabase({ databaseUrl: url.toString() });
}

async function pglite(): Promise<Database> {
  const dir = path.join(tmpdir(), 'rongma-bench-reports-pglite');
  if (values.fresh && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  return openDatabase({ dataDir: dir });
}

/** Fills the database up to `leads` (a kept database that already has them is used as it is). */
async function load(database: Database, leads: number) {
  await database.migrate();
  await seedDemo(database.db, { accounts: false });
  const [have] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from leads`);
  if (have!.n >= leads * 0.97) return console.log(`  ${fmt(have!.n)} leads already loaded`);
  const t0 = performance.now();
  const summary = await generateActivity(database.db, {
    leads: leads - have!.n, now: NOW, history: false, batchSize: 10_000,
    onBatch: (n) => process.stdout.write(`\r  loading… ${fmt(n)} leads`),
  });
  const seconds = (performance.now() - t0) / 1000;
  await database.db.execute(sql`analyze`);
  console.log(`\r  loaded ${fmt(summary.leads)} leads (${fmt(summary.applications)} requests) in ${fmt(seconds)} s, ${fmt(summary.leads / seconds)} leads/s`);
}

/** Rolls up the days the load (or an earlier interrupted run) marked; a kept, rolled-up database has none. */
async function rollUp(database: Database) {
  const t0 = performance.now();
  const { days } = await refreshReportRollup(database.db);
  await database.db.execute(sql`analyze report_rollup`);
  await database.db.execute(sql`analyze report_sample`);
  const [rows] = await queryRows<{ rollup: number; sample: number }>(database.db, sql`
    select (select count(*) from report_rollup)::int as rollup, (select count(*) from report_sample)::int as sample`);
  console.log(`  rolled up ${fmt(days)} days in ${fmt((performance.now() - t0) / 1000, 1)} s: ${fmt(rows!.rollup)} rollup rows, ${fmt(rows!.sample)} sampled leads`);
}

async function time(fn: () => Promise<unknown>) {
  const first = await fn(); // warm-up: plans and caches
  const basis = (first as { basis?: ReportBasis } | undefined)?.basis?.source ?? '';
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), basis };
}

async function measure(kind: string, database: Database, leads: number) {
  console.log(`\n== ${kind}: ${fmt(leads)} leads over a year`);
  await load(database, leads);
  await rollUp(database);
  const db = database.db;
  const year: ReportFilter = { from: '2025-11-21', to: '2026-11-20', now: NOW };
  const [bank] = await queryRows<{ id: number }>(db, sql`select bank_id as id from leads group by bank_id order by count(*) desc limit 1`);
  const month: ReportFilter = { ...year, from: '2026-10-21' };
  const reference = await time(() => queryRows(db, sql`select count(*) from leads l join applications a on a.id = l.application_id
    where l.created_at >= '2025-11-20T16:00:00Z' and l.created_at < '2026-11-20T16:00:00Z'`));
  console.log(`${'report'.padEnd(52)} ${'basis'.padEnd(7)} ${'median'.padStart(11)} ${'p95'.padStart(11)}  ratio to reference   target < ${TARGET_MS} ms`);
  const row = (name: string, r: { p50: number; p95: number; basis: string }, target = true) => console.log(
    `${name.padEnd(52)} ${r.basis.padEnd(7)} ${`${fmt(r.p50, 1)} ms`.padStart(11)} ${`${fmt(r.p95, 1)} ms`.padStart(11)}  ${`${fmt(r.p50 / reference.p50, 2)}×`.padStart(8)}  ${target ? (r.p95 < TARGET_MS ? '           ok' : '         SLOW') : ''}`);
  row('reference: count the year’s leads (join)', reference, false);
  const cases: [string, () => Promise<unknown>][] = [
    ['summary, a year', () => summaryFigures(db, year)],
    ['summary, a year, one district', () => summaryFigures(db, { ...year, district: '441204' })],
    ['summary, a year, one bank', () => summaryFigures(db, { ...year, bankId: bank!.id })],
    ['summary, a year, industry C + small companies', () => summaryFigures(db, { ...year, industry: 'C', size: 'small' })],
    ['summary, last 30 days', () => summaryFigures(db, month)],
    ['league table (banks), a year, by SLA %', () => bankFigures(db, year, 'acceptSlaPct', 'desc')],
    ['channel funnel, a year', () => channelFunnel(db, year)],
    ['weekly trend, a year', () => weeklyTrend(db, year)],
    ['summary, a year, live (forced, for comparison)', () => summaryFigures(db, year, 'live')],
  ];
  for (const [name, fn] of cases) row(name, await time(fn), !name.includes('forced'));
  const exportMonth = await time(() => exportRows(db, month));
  const [rows] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from leads where created_at >= '2026-10-20T16:00:00Z'`);
  row(`CSV rows, last 30 days (${fmt(rows!.n)} rows; size-bound)`, exportMonth, false);
}

const only = values.only;
if (!only || only === 'postgres') {
  const database = await postgres();
  try {
    await measure('PostgreSQL server', database, Number(values['pg-leads']));
  } finally {
    await database.close();
  }
}
if (!only || only === 'pglite') {
  const database = await pglite();
  try {
    await measure('PGlite (embedded)', database, Number(values['pglite-leads']));
  } finally {
    await database.close();
  }
}
