import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { count } from 'drizzle-orm';
import { openDatabase, type Database } from '../../server/db';
import { usccCheckChar } from '../../server/domain/uscc';
import { applications, companies, consents, idempotencyKeys } from '../../models/applications';
import { leadEvents, leads } from '../../models/leads';
import { createServerDatabase } from '../../test/helpers/db';
import { serve } from './http';

const CONNECTIONS = 20;
/** A fixed number of requests (not a duration): every request is answered, so every write can be checked. */
const REQUESTS = { postgres: 1500, pglite: 600 };

/** A template request for the seed story's company, for products it is eligible for at two banks. */
async function template(url: string) {
  const company = { name: '肇庆市高要区金利五金制品有限公司', district: '441204', industry: 'C33', establishedOn: '2019-05-10', employees: 45, annualRevenue: 18_000_000, totalAssets: 12_000_000, taxRating: 'B', hasBankLoan: false, overdueCount: 0, collateral: ['equipment'], guaranteeAvailable: false };
  const need = { amount: 1_000_000, termMonths: 12, purpose: '采购原材料' };
  const match = await (await fetch(`${url}/api/match`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ company, need }) })).json();
  const picks: { id: number; bankId: number }[] = [];
  for (const r of match.results) if (r.eligible && !picks.some((p) => p.bankId === r.product.bankId) && picks.length < 2) picks.push(r.product);
  const consent = await (await fetch(`${url}/api/applications/consent`)).json();
  return { company, need, picks, consentVersion: consent.version as string };
}

export interface SubmissionRun {
  rps: number;
  p50: number;
  p99: number;
  created: number;
  non201: number;
  errors: number;
  check: string;
}

/** Loads one engine with unique submissions, then counts what was written against what was answered. */
async function run(kind: 'postgres' | 'pglite'): Promise<SubmissionRun> {
  let database: Database;
  let env: NodeJS.ProcessEnv;
  let cleanup: () => Promise<void>;
  if (kind === 'postgres') {
    const server = await createServerDatabase(new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rongma_test'));
    env = { ...process.env, DATABASE_URL: server.url };
    cleanup = server.drop;
    database = await openDatabase({ databaseUrl: server.url, poolSize: 2 });
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'rongma-bench-'));
    env = { ...process.env, BENCH_DATA_DIR: dir, DATABASE_URL: '' };
    delete env.DATABASE_URL;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
    database = undefined as unknown as Database; // opened after the server stops: PGlite has one owner
  }
  const app = await serve('app', env);
  const t = await template(app.url);
  let n = 0;
  const ids = new Set<number>();
  let leadTotal = 0;
  const created: number[] = [];
  const result = await autocannon({
    url: `${app.url}/api/applications`, connections: CONNECTIONS, amount: REQUESTS[kind], method: 'POST',
    requests: [{
      setupRequest(req) {
        n++;
        const body17 = `91441204MB${String(n).padStart(7, '0')}`;
        const phone = `13${String(100_000_000 + n).slice(-9)}`;
        return {
          ...req,
          headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${kind}-${n}-${Date.now()}` },
          body: JSON.stringify({
            company: { ...t.company, uscc: body17 + usccCheckChar(body17) }, contact: { name: '压测', phone }, need: t.need, mode: 'chosen',
            productIds: t.picks.map((p) => p.id), consent: { version: t.consentVersion, banks: t.picks.map((p) => p.bankId) },
          }),
        };
      },
      onResponse(status, body) {
        if (status === 201) {
          const answer = JSON.parse(body) as { id: number; leads: unknown[] };
          ids.add(answer.id);
          created.push(answer.id);
          leadTotal += answer.leads.length;
        }
      },
    }],
  });
  await app.stop();
  if (kind === 'pglite') database = await openDatabase({ dataDir: env.BENCH_DATA_DIR! });
  const rows = async (table: typeof applications | typeof leads | typeof companies | typeof consents | typeof idempotencyKeys | typeof leadEvents) =>
    Number((await database.db.select({ n: count() }).from(table))[0]!.n);
  const written = { applications: await rows(applications), leads: await rows(leads), companies: await rows(companies), keys: await rows(idempotencyKeys), events: await rows(leadEvents), consents: await rows(consents) };
  await database.close();
  await cleanup();
  const ok = ids.size === created.length && written.applications === created.length && written.leads === leadTotal && written.companies === created.length
    && written.keys === created.length && written.events === leadTotal && written.consents === leadTotal;
  return {
    rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, created: created.length,
    non201: result.non2xx + (result.requests.total - result.non2xx - created.length), errors: result.errors,
    check: `${ok ? 'OK' : 'MISMATCH'}: ${created.length} × 201 → ${written.applications} applications, ${written.leads} leads, ${written.consents} consents, ${written.events} events, ${written.companies} companies, ${written.keys} keys`,
  };
}

export async function submissionBench(line: (name: string, value: string, note?: string) => void, fmt: (n: number) => string) {
  console.log(`\n== POST /api/applications: unique companies and keys, ${CONNECTIONS} connections, ${REQUESTS.postgres} (PostgreSQL) / ${REQUESTS.pglite} (PGlite) requests, two leads each`);
  for (const kind of ['postgres', 'pglite'] as const) {
    try {
      const r = await run(kind);
      line(`submissions on ${kind === 'postgres' ? 'PostgreSQL (127.0.0.1)' : 'PGlite (embedded, on disk)'}`, `${fmt(r.rps)} req/s`, `p50 ${r.p50} ms, p99 ${r.p99} ms; ${kind === 'postgres' ? 'target ≥ 300/s, p99 < 100 ms; ' : ''}non-201 ${r.non201}, errors ${r.errors}`);
      line('  written vs answered', r.check.startsWith('OK') ? 'OK' : 'MISMATCH', r.check);
      if (!r.check.startsWith('OK')) process.exitCode = 1;
    } catch (err) {
      line(`submissions on ${kind}`, 'not run', (err as Error).message);
    }
  }
}
