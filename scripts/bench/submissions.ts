import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../server/db';
import { usccCheckChar } from '../../server/domain/uscc';
import { queryRows } from '../../server/sql';
import { sequenceFeeds } from '../../models/lead-changes';
import { createServerDatabase } from '../../test/helpers/db';
import { load, postgresCpuMs, serve } from './http';

const CONNECTIONS = 20;
/** A fixed number of requests (not a duration): every request is answered, so every write can be checked. */
const REQUESTS = { postgres: 2000, pglite: 600 };
/** A loaded, shared machine answers slowly: autocannon must not give up on a request the server still commits. */
const TIMEOUT_SECONDS = 120;

type Scenario = 'one bank' | 'spread';

/** The seed story's company and need, and eligible products of distinct banks (the first is the "one bank"). */
async function template(url: string) {
  const company = { name: '肇庆市高要区金利五金制品有限公司', district: '441204', industry: 'C33', establishedOn: '2019-05-10', employees: 45, annualRevenue: 18_000_000, totalAssets: 12_000_000, taxRating: 'B', hasBankLoan: false, overdueCount: 0, collateral: ['equipment'], guaranteeAvailable: false };
  const need = { amount: 1_000_000, termMonths: 12, purpose: '采购原材料' };
  const match = await (await fetch(`${url}/api/match`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ company, need, limit: 1000 }) })).json();
  const banks: { id: number; bankId: number }[] = [];
  for (const r of match.results) if (r.eligible && !banks.some((p) => p.bankId === r.product.bankId)) banks.push(r.product);
  const consent = await (await fetch(`${url}/api/applications/consent`)).json();
  return { company, need, banks, consentVersion: consent.version as string };
}

/** The products request `n` goes to: all to the first bank's product, or two banks in turn over every eligible bank. */
function picksFor(scenario: Scenario, banks: { id: number; bankId: number }[], n: number) {
  if (scenario === 'one bank') return [banks[0]!];
  return [banks[n % banks.length]!, banks[(n + 1) % banks.length]!];
}

export interface SubmissionRun {
  rps: number;
  p50: number;
  p99: number;
  created: number;
  non201: number;
  errors: number;
  banks: number;
  check: string;
  ok: boolean;
  healthz: { rps: number; p99: number; cpuPerRequest: number };
  /** The server process's CPU ms per submission (the database's own CPU not counted). */
  cpuPerRequest: number;
  /** PostgreSQL's CPU ms per submission, when its processes are visible here (NaN otherwise, and on PGlite: it is in the app). */
  dbCpuPerRequest: number;
}

/**
 * Every 201 against the database: each answered application has exactly its leads, a consent, a first
 * event and a feed row per lead; the tables hold nothing else; and every bank's feed, once numbered,
 * runs 1…n with no gap and no repeat.
 */
async function checkWrites(database: Database, answered: Map<number, number>): Promise<{ ok: boolean; text: string }> {
  await sequenceFeeds(database.db);
  const rows = await queryRows<{ id: number; leads: number; consents: number; events: number; feed: number }>(database.db, sql`
    select a.id,
      (select count(*)::int from leads l where l.application_id = a.id) as leads,
      (select count(*)::int from consents c where c.application_id = a.id) as consents,
      (select count(*)::int from lead_events e join leads l on l.id = e.lead_id where l.application_id = a.id) as events,
      (select count(*)::int from outbox o join leads l on l.id = o.lead_id where l.application_id = a.id) as feed
    from applications a`);
  const [totals] = await queryRows<{ leads: number; consents: number; events: number; feed: number; companies: number; keys: number }>(database.db, sql`
    select (select count(*)::int from leads) as leads, (select count(*)::int from consents) as consents, (select count(*)::int from lead_events) as events,
           (select count(*)::int from outbox) as feed, (select count(*)::int from companies) as companies, (select count(*)::int from idempotency_keys) as keys`);
  const [feedShape] = await queryRows<{ unnumbered: number; broken: number }>(database.db, sql`
    select count(*) filter (where seq is null)::int as unnumbered,
           (select count(*)::int from (select bank_id from outbox group by bank_id having count(distinct seq) <> count(*) or min(seq) <> 1 or max(seq) <> count(*)) b) as broken
    from outbox`);
  const expectedLeads = [...answered.values()].reduce((a, b) => a + b, 0);
  const wrong = rows.filter((r) => {
    const n = answered.get(r.id);
    return n === undefined || r.leads !== n || r.consents !== n || r.events !== n || r.feed !== n;
  });
  const ok = rows.length === answered.size && wrong.length === 0 && totals!.leads === expectedLeads && totals!.consents === expectedLeads
    && totals!.events === expectedLeads && totals!.feed === expectedLeads && totals!.companies === answered.size && totals!.keys === answered.size
    && feedShape!.unnumbered === 0 && feedShape!.broken === 0;
  return {
    ok,
    text: `${answered.size} × 201 → ${rows.length} applications (${wrong.length} not exactly their own rows), ${totals!.leads} leads, ${totals!.consents} consents, `
      + `${totals!.events} events, ${totals!.feed} feed rows (${feedShape!.unnumbered} unnumbered, ${feedShape!.broken} banks with a gap), ${totals!.companies} companies, ${totals!.keys} keys`,
  };
}

/** Loads one engine with unique submissions, then checks what was written against what was answered. */
async function run(kind: 'postgres' | 'pglite', scenario: Scenario): Promise<SubmissionRun> {
  let env: NodeJS.ProcessEnv;
  let cleanup: () => Promise<void>;
  let open: () => Promise<Database>;
  if (kind === 'postgres') {
    // A throw-away database beside the bench one (its name says bench), dropped afterwards.
    const server = await createServerDatabase(new URL(process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'), 'rongma_bench_submit');
    env = { ...process.env, DATABASE_URL: server.url };
    cleanup = server.drop;
    open = () => openDatabase({ databaseUrl: server.url, poolSize: 2 });
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'rongma-bench-'));
    env = { ...process.env, BENCH_DATA_DIR: dir };
    delete env.DATABASE_URL;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
    open = () => openDatabase({ dataDir: dir }); // after the server stops: PGlite has one owner
  }
  const app = await serve('app', env);
  let database: Database | undefined;
  try {
    // The reference: the same server's cheapest route, same connections, same run.
    const healthz = await load({ url: `${app.url}/healthz`, connections: CONNECTIONS, duration: 5, timeout: TIMEOUT_SECONDS }, 1, app);
    const t = await template(app.url);
    let n = 0;
    const answered = new Map<number, number>();
    let created = 0;
    const stamp = Date.now();
    // The rate over first request to last answer: autocannon ends a run of a fixed count on its next whole second.
    let firstAt = 0;
    let lastAt = 0;
    const cpu0 = app.cpuMs();
    const db0 = kind === 'postgres' ? postgresCpuMs() : NaN;
    const result = await autocannon({
      url: `${app.url}/api/applications`, connections: CONNECTIONS, amount: REQUESTS[kind], method: 'POST', timeout: TIMEOUT_SECONDS,
      requests: [{
        setupRequest(req) {
          firstAt ||= performance.now();
          n++;
          const body17 = `91441204MB${String(n).padStart(7, '0')}`;
          const phone = `13${String(100_000_000 + n).slice(-9)}`;
          const picks = picksFor(scenario, t.banks, n);
          return {
            ...req,
            headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${kind}-${n}-${stamp}` },
            body: JSON.stringify({
              company: { ...t.company, uscc: body17 + usccCheckChar(body17) }, contact: { name: '压测', phone }, need: t.need, mode: 'chosen',
              productIds: picks.map((p) => p.id), consent: { version: t.consentVersion, banks: picks.map((p) => p.bankId) },
            }),
          };
        },
        onResponse(status, body) {
          lastAt = performance.now();
          if (status === 201) {
            const answer = JSON.parse(body) as { id: number; leads: unknown[] };
            answered.set(answer.id, answer.leads.length);
            created++;
          }
        },
      }],
    });
    const cpuPerRequest = (app.cpuMs() - cpu0) / Math.max(1, result.requests.total);
    const dbCpuPerRequest = (postgresCpuMs() - db0) / Math.max(1, result.requests.total);
    await app.stop();
    database = await open();
    const check = await checkWrites(database, answered);
    return {
      rps: result.requests.total / Math.max(0.001, (lastAt - firstAt) / 1000), p50: result.latency.p50, p99: result.latency.p99, created,
      non201: result.requests.total - created, errors: result.errors, banks: scenario === 'one bank' ? 1 : t.banks.length,
      ok: check.ok && created === answered.size, check: check.text, healthz: { rps: healthz.rps, p99: healthz.p99, cpuPerRequest: healthz.cpuPerRequest! }, cpuPerRequest, dbCpuPerRequest,
    };
  } finally {
    await app.stop().catch(() => undefined);
    await database?.close();
    await cleanup();
  }
}

export async function submissionBench(line: (name: string, value: string, note?: string) => void, fmt: (n: number) => string) {
  console.log(`\n== POST /api/applications: unique companies and keys, ${CONNECTIONS} connections, ${REQUESTS.postgres} (PostgreSQL) / ${REQUESTS.pglite} (PGlite) requests;`
    + ' reference: GET /healthz of the same server, 20 connections, same run');
  const runs: [kind: 'postgres' | 'pglite', scenario: Scenario, target: string][] = [
    ['postgres', 'one bank', 'target ≥ 300/s, p99 < 100 ms'],
    ['postgres', 'spread', 'target ≥ 300/s, p99 < 100 ms'],
    ['pglite', 'one bank', 'target ≥ 150/s'],
  ];
  // --submit=postgres-one|postgres-spread|pglite-one runs one of them.
  const pickRun = process.argv.find((a) => a.startsWith('--submit='))?.slice(9);
  for (const [kind, scenario, target] of runs) {
    if (pickRun && pickRun !== `${kind}-${scenario === 'one bank' ? 'one' : 'spread'}`) continue;
    const name = `${kind === 'postgres' ? 'PostgreSQL (127.0.0.1)' : 'PGlite (embedded, on disk)'}, ${scenario === 'one bank' ? 'all to one bank (1 lead each)' : 'spread over banks (2 leads each)'}`;
    try {
      const r = await run(kind, scenario);
      line(`submissions, ${name}`, `${fmt(r.rps)} req/s`, `p50 ${r.p50} ms, p99 ${r.p99} ms; ${target}; non-201 ${r.non201}, errors ${r.errors}; app CPU ${r.cpuPerRequest.toFixed(2)} ms/request${Number.isNaN(r.dbCpuPerRequest) ? '' : `, PostgreSQL CPU ${r.dbCpuPerRequest.toFixed(2)} ms/request`}`);
      line('  reference: GET /healthz of the same server', `${fmt(r.healthz.rps)} req/s`, `p99 ${r.healthz.p99} ms; app CPU ${r.healthz.cpuPerRequest.toFixed(3)} ms/request; submissions / healthz ${(r.rps / r.healthz.rps).toFixed(3)}`);
      line('  every 201 checked in the database', r.ok ? 'OK' : 'MISMATCH', r.check);
      if (!r.ok) process.exitCode = 1;
    } catch (err) {
      line(`submissions, ${name}`, 'not run', (err as Error).message);
      process.exitCode = 1;
    }
  }
}
