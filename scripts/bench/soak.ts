// npm run bench:soak [-- --seconds N] [--pg]: steady mixed traffic on loopback for 10 minutes (default)
// against the app in its own process (in-memory PGlite, or a fresh database on the PostgreSQL server with
// --pg): matches, submissions, a bank working its leads, desk reports, the catalogue. Prints p50/p99 per
// route beside GET /healthz in the same run (the reference), the error count (target 0) and the server's
// memory at the start and the end (target: flat).
import { performance } from 'node:perf_hooks';
import { hardwareMaker, need, uscc } from '../../test/helpers/applications';
import { createServerDatabase } from '../../test/helpers/db';
import { serve } from './http';

const args = process.argv.slice(2);
const SECONDS = Number(args[args.indexOf('--seconds') + 1] || 600) || 600;
const RATE = 40; // requests per second, open loop
const MAX_IN_FLIGHT = 64;
const METRICS_TOKEN = 'soak-metrics-token-soak-metrics-token-0123';

const pg = args.includes('--pg') ? await createServerDatabase(new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'), 'rongma_soak_bench') : null;
const served = await serve('app', { ...process.env, BENCH_ACCOUNTS: '1', BENCH_METRICS_TOKEN: METRICS_TOKEN, DATABASE_URL: pg?.url ?? '' });
const base = served.url;

async function call(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(base + path, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, json: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined };
}
const signIn = async (username: string) => (await call('POST', '/api/auth/login', { username, password: 'rongma-demo-2026' })).json.token as string;
const bankAdmin = await signIn('abc.admin');
const desk = await signIn('demo.desk');
const me = (await call('GET', '/api/auth/me', undefined, bankAdmin)).json.user as { bankId: number };
const match = (await call('POST', '/api/match', { company: hardwareMaker(), need, limit: 1000 })).json as { results: { eligible: boolean; product: { id: number; bankId: number } }[] };
const ours = match.results.find((r) => r.eligible && r.product.bankId === me.bankId)!.product;
const other = match.results.find((r) => r.eligible && r.product.bankId !== me.bankId)!.product;
const consentVersion = (await call('GET', '/api/applications/consent')).json.version as string;

/** Leads of the bank waiting for their next step: claim → contact → decision. */
const pipeline: { id: number; step: 'claim' | 'contact' | 'decision' }[] = [];
let companies = 0;
const reportPaths = ['/api/reports/summary', '/api/reports/banks', '/api/reports/channels', '/api/reports/trend'];

const mix: [number, string, () => Promise<{ status: number; ok: boolean }>][] = [
  [0.05, 'GET /healthz', async () => { const r = await call('GET', '/healthz'); return { status: r.status, ok: r.status === 200 }; }],
  [0.35, 'POST /api/match', async () => { const r = await call('POST', '/api/match', { company: hardwareMaker(), need }); return { status: r.status, ok: r.status === 200 }; }],
  [0.15, 'POST /api/applications', async () => {
    const i = ++companies;
    const r = await call('POST', '/api/applications', { company: hardwareMaker({ uscc: uscc(), name: `肇庆浸泡测试企业${i}有限公司` }), contact: { name: '梁伟', phone: `139${String(10_000_000 + i).slice(-8)}` }, need, mode: 'chosen', productIds: [ours.id, other.id], consent: { version: consentVersion, banks: [ours.bankId, other.bankId] } });
    for (const lead of (r.json?.leads ?? []) as { id: number; bankId: number }[]) if (lead.bankId === me.bankId) pipeline.push({ id: lead.id, step: 'claim' });
    return { status: r.status, ok: r.status === 201 };
  }],
  [0.2, 'POST /api/leads/:id/(claim|contact|decision)', async () => {
    const lead = pipeline.shift();
    if (!lead) { const r = await call('GET', '/api/leads?status=new', undefined, bankAdmin); return { status: r.status, ok: r.status === 200 }; }
    const body = lead.step === 'contact' ? { note: '已电话联系' } : lead.step === 'decision' ? { outcome: 'approved', amount: 800_000, ratePct: 3.65, termMonths: 12, guaranteeType: 'credit' } : undefined;
    const r = await call('POST', `/api/leads/${lead.id}/${lead.step}`, body ?? {}, bankAdmin);
    if (lead.step !== 'decision' && r.status === 200) pipeline.push({ id: lead.id, step: lead.step === 'claim' ? 'contact' : 'decision' });
    return { status: r.status, ok: r.status === 200 };
  }],
  [0.1, 'GET /api/leads', async () => { const r = await call('GET', '/api/leads?pageSize=50', undefined, bankAdmin); return { status: r.status, ok: r.status === 200 }; }],
  [0.1, 'GET /api/reports/*', async () => { const r = await call('GET', reportPaths[companies % reportPaths.length]!, undefined, desk); return { status: r.status, ok: r.status === 200 }; }],
  [0.05, 'GET /api/products', async () => { const r = await call('GET', '/api/products?pageSize=50'); return { status: r.status, ok: r.status === 200 }; }],
];

async function memory(): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return { rss: value('rongma_process_resident_memory_bytes'), heap: value('rongma_nodejs_heap_size_used_bytes') };
}

const latencies = new Map<string, number[]>();
const failures = new Map<string, number>();
const samples: { at: number; rss: number; heap: number }[] = [];
let inFlight = 0;
let dropped = 0;
const started = performance.now();
const deadline = started + SECONDS * 1000;
process.stdout.write(`soak: ${SECONDS} s at ${RATE} req/s on ${pg ? 'PostgreSQL' : 'PGlite (in memory)'}\n`);

const sampler = setInterval(() => void memory().then((m) => samples.push({ at: (performance.now() - started) / 1000, ...m })), 10_000);
samples.push({ at: 0, ...(await memory()) });
await new Promise<void>((resolve) => {
  const tick = setInterval(() => {
    if (performance.now() >= deadline) {
      clearInterval(tick);
      const wait = setInterval(() => inFlight === 0 && (clearInterval(wait), resolve()), 50);
      return;
    }
    if (inFlight >= MAX_IN_FLIGHT) { dropped++; return; }
    let pick = Math.random();
    const [, name, run] = mix.find(([weight]) => (pick -= weight) < 0) ?? mix[0]!;
    inFlight++;
    const t0 = performance.now();
    run().then((r) => {
      if (!r.ok) failures.set(`${name} → ${r.status}`, (failures.get(`${name} → ${r.status}`) ?? 0) + 1);
    }, () => failures.set(`${name} → network`, (failures.get(`${name} → network`) ?? 0) + 1)).finally(() => {
      inFlight--;
      latencies.set(name, [...(latencies.get(name) ?? []), performance.now() - t0]);
    });
  }, 1000 / RATE);
});
clearInterval(sampler);
samples.push({ at: SECONDS, ...(await memory()) });

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN; };
const ref = pct(latencies.get('GET /healthz') ?? [], 0.5);
process.stdout.write(`\n${'route'.padEnd(48)} ${'count'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'p50/ref'.padStart(8)}\n`);
for (const [, name] of mix) {
  const xs = latencies.get(name) ?? [];
  process.stdout.write(`${name.padEnd(48)} ${String(xs.length).padStart(7)} ${pct(xs, 0.5).toFixed(1).padStart(8)} ${pct(xs, 0.99).toFixed(1).padStart(8)} ${(pct(xs, 0.5) / ref).toFixed(1).padStart(8)}\n`);
}
const errors = [...failures.values()].reduce((a, b) => a + b, 0);
process.stdout.write(`\nerrors: ${errors}${errors ? ` (${[...failures].map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}; skipped at the in-flight cap: ${dropped}; submissions: ${companies}\n`);
// Memory: the lowest heap of the first and the last fifth of the run (the floors after collections), and RSS.
const window = (from: number, to: number) => samples.filter((s) => s.at >= from && s.at <= to);
const first = window(0, SECONDS / 5);
const last = window(SECONDS * 0.8, SECONDS);
const floor = (xs: typeof samples, k: 'heap' | 'rss') => Math.min(...xs.map((s) => s[k]));
process.stdout.write(`memory (MiB): heap floor ${floor(first, 'heap').toFixed(1)} → ${floor(last, 'heap').toFixed(1)}, RSS ${floor(first, 'rss').toFixed(1)} → ${floor(last, 'rss').toFixed(1)} (${samples.length} samples)\n`);
const growth = floor(last, 'heap') / floor(first, 'heap') - 1;
process.stdout.write(`heap floor ${growth >= 0 ? '+' : ''}${(100 * growth).toFixed(1)} % from the first fifth to the last: ${Math.abs(growth) <= 0.1 ? 'flat (within 10 %)' : 'NOT flat (target within 10 %)'}\n`);
if (Math.abs(growth) > 0.1) process.exitCode = 1;
await served.stop();
await pg?.drop();
