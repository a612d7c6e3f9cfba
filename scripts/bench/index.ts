// `npm run bench`: the matcher's and the API's speed, each figure beside a reference measured in the
// same run on the same machine (the machines are shared and noisy: read the ratios).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BatchMatcher } from '../../matchers/batch';
import { toFacts, type Facts } from '../../matchers/facts';
import { Matcher } from '../../matchers/matcher';
import { matchAnswerBytes, matchAnswerObject } from '../../routes/match/present';
import { rootDir } from '../../server/paths';
import { randomProfile, rng, seededMatchProducts } from '../../test/helpers/profiles';
import { rulesEngine } from '../../test/helpers/rules-oracle';
import { load, serve } from './http';
import { submissionBench } from './submissions';

const PROFILES = 100_000;
const ORACLE_PROFILES = 1_000;
const SINGLE_RUNS = 20_000;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

function line(name: string, value: string, note = '') {
  console.log(`${name.padEnd(58)} ${value.padStart(16)}  ${note}`);
}

async function matcherBench() {
  console.log(`\n== matcher: ${PROFILES.toLocaleString('en-US')} random profiles × 132 products like the demo registry`);
  const products = seededMatchProducts();
  const matcher = new Matcher(products);
  const next = rng(42);
  const facts: Facts[] = Array.from({ length: PROFILES }, () => {
    const { company, need } = randomProfile(next);
    return toFacts(company, need, '2026-11-20');
  });

  const batch = new BatchMatcher(matcher.compiled);
  const cols = batch.encode(facts);
  const eligible = new Uint8Array(PROFILES * products.length);
  const score = new Uint8Array(PROFILES * products.length);
  batch.run(cols, eligible, score); // warm-up: let the JIT settle
  const rates: number[] = [];
  let eligibleCount = 0;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    eligibleCount = batch.run(cols, eligible, score);
    rates.push((PROFILES * products.length) / ((performance.now() - t0) / 1000));
  }
  const batchRate = median(rates);
  line('batch eligibility + score of every pair, one core (median of 5)', `${fmt(batchRate / 1e6, 1)} M/s`, `target ≥ 50 M/s; ${fmt((100 * eligibleCount) / (PROFILES * products.length), 1)}% of pairs eligible`);
  batch.run(cols, eligible, score, { scoreAll: false });
  const eligibleOnly: number[] = [];
  for (let run = 0; run < 5; run++) {
    const t = performance.now();
    batch.run(cols, eligible, score, { scoreAll: false });
    eligibleOnly.push((PROFILES * products.length) / ((performance.now() - t) / 1000));
  }
  line('batch eligibility + score of eligible pairs, one core', `${fmt(median(eligibleOnly) / 1e6, 1)} M/s`, 'what bulk re-matching needs');

  const oracle = rulesEngine(products);
  for (const f of facts.slice(0, 50)) await oracle.eligibleIds(f); // warm-up
  const t0 = performance.now();
  for (const f of facts.slice(0, ORACLE_PROFILES)) await oracle.eligibleIds(f);
  const oracleRate = (ORACLE_PROFILES * products.length) / ((performance.now() - t0) / 1000);
  line(`json-rules-engine, same criteria (${fmt(ORACLE_PROFILES)} profiles)`, `${fmt(oracleRate / 1e3, 1)} k/s`, 'reference engine');
  line('ratio batch (every pair scored) / json-rules-engine', `${fmt(batchRate / oracleRate)}×`, 'target ≥ 1,000×');
  line('ratio batch (eligible pairs scored) / json-rules-engine', `${fmt(median(eligibleOnly) / oracleRate)}×`);

  for (const f of facts.slice(0, 2000)) matcher.match(f); // warm-up
  const micros: number[] = [];
  for (let i = 0; i < SINGLE_RUNS; i++) {
    const f = facts[i % facts.length]!;
    const t = process.hrtime.bigint();
    matcher.match(f);
    micros.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  line('one company × 132 products, full reasons and hints: median', `${fmt(median(micros), 1)} µs`, 'target < 50 µs');
  line('                                                      p99', `${fmt(quantile(micros, 0.99), 1)} µs`);
  return facts;
}

/**
 * The hand-tuned match serializer against what `res.json` would do (JSON.stringify of the same answer,
 * then UTF-8), on the same answers, one core: it stays only where this shows it pays.
 */
function serializerBench(facts: Facts[]) {
  console.log('\n== /api/match answer serialization: hand-tuned (cached fragments) vs JSON.stringify as res.json does, same answers');
  const matcher = new Matcher(seededMatchProducts());
  const answers = facts.slice(0, 200).map((f) => {
    const all = matcher.match(f);
    let eligibleCount = 0;
    while (eligibleCount < all.length && all[eligibleCount]!.eligible) eligibleCount++;
    return { results: all.slice(0, eligibleCount + 10), total: all.length, eligibleCount, profile: { size: f.size ?? null, monthsInOperation: f.monthsInOperation ?? null } };
  });
  for (const lang of [undefined, 'zh'] as const) {
    const plain = answers.map((a) => ({ ...a, lang }));
    // What res.json would be given: the answer with messages and hints in the asked language only.
    const asJson = (a: (typeof plain)[number]) => JSON.stringify(matchAnswerObject(a));
    for (const a of plain) if (!matchAnswerBytes(a).equals(Buffer.from(asJson(a)))) throw new Error('the hand-tuned serializer and JSON.stringify disagree');
    const time = (f: (a: (typeof plain)[number]) => unknown) => {
      for (let i = 0; i < 2000; i++) f(plain[i % plain.length]!); // warm-up
      const rates: number[] = [];
      for (let run = 0; run < 5; run++) {
        const t0 = performance.now();
        for (let i = 0; i < 5000; i++) f(plain[i % plain.length]!);
        rates.push(5000 / ((performance.now() - t0) / 1000));
      }
      return median(rates);
    };
    const tuned = time((a) => matchAnswerBytes(a));
    const json = time((a) => Buffer.from(asJson(a)));
    line(`answers/s, ${lang ? 'lang zh' : 'both languages'}: hand-tuned`, `${fmt(tuned)} /s`, `JSON.stringify + Buffer.from: ${fmt(json)} /s; ratio ${fmt(tuned / json, 1)}×; ${fmt(Buffer.byteLength(asJson(plain[0]!)) / 1024)} KiB`);
  }
}

async function httpBench(facts: Facts[]) {
  console.log('\n== HTTP on loopback: autocannon, 50 connections, 10 s (after 2 s warm-up), servers in child processes');
  const hello = await serve('hello');
  const h = await load({ url: `${hello.url}/`, connections: 50, duration: 10, timeout: 60 }, 2, hello);
  await hello.stop();
  line('Express 5 hello-world GET /', `${fmt(h.rps)} req/s`, `p99 ${h.p99} ms; server CPU ${fmt(1000 * h.cpuPerRequest!)} µs/request`);

  const app = await serve('app');
  const hz = await load({ url: `${app.url}/healthz`, connections: 50, duration: 10, timeout: 60 }, 2, app);
  line('GET /healthz of the app (same server as the match below)', `${fmt(hz.rps)} req/s`, `p99 ${hz.p99} ms; server CPU ${fmt(1000 * hz.cpuPerRequest!)} µs/request`);
  const sample = facts[7]!;
  const body = JSON.stringify({
    company: { district: sample.district, industry: sample.industry, establishedOn: '2019-05-10', employees: sample.employees, annualRevenue: sample.revenue, totalAssets: 20_000_000, taxRating: sample.taxRating, hasBankLoan: sample.hasBankLoan, overdueCount: sample.overdueCount, collateral: sample.collateral, guaranteeAvailable: sample.guaranteeAvailable },
    need: { amount: sample.amount, termMonths: sample.termMonths },
  });
  const probe = await fetch(`${app.url}/api/match`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const bytes = (await probe.arrayBuffer()).byteLength;
  const m = await load({ url: `${app.url}/api/match`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 50, duration: 10, timeout: 60 }, 2, app);
  line('POST /api/match (132 products, reasons in zh and en)', `${fmt(m.rps)} req/s`, `p99 ${m.p99} ms; server CPU ${fmt(1000 * m.cpuPerRequest!)} µs/request; ${fmt(bytes / 1024)} KiB per answer; non-2xx ${m.non2xx}, errors ${m.errors}`);
  line('ratio match / hello-world', fmt(m.rps / h.rps, 2), 'target ≥ 0.6, p99 < 25 ms');
  line('ratio match / healthz of the same server', fmt(m.rps / hz.rps, 2));
  line('ratio of server CPU per request, hello-world / match', fmt(h.cpuPerRequest! / m.cpuPerRequest!, 2), 'what the req/s ratio would be on an idle machine (one core each)');
  const zh = await load({ url: `${app.url}/api/match`, method: 'POST', headers: { 'content-type': 'application/json' }, body: body.replace(/}$/, ',"lang":"zh"}'), connections: 50, duration: 10, timeout: 60 }, 2, app);
  line('POST /api/match with lang: zh', `${fmt(zh.rps)} req/s`, `p99 ${zh.p99} ms; server CPU ${fmt(1000 * zh.cpuPerRequest!)} µs/request; ratio to hello-world ${fmt(zh.rps / h.rps, 2)}; non-2xx ${zh.non2xx}, errors ${zh.errors}`);
  // What the applicant's page sends from a phone: one language, and a browser's Accept-Encoding (the answer compressed).
  const phone = await load({ url: `${app.url}/api/match`, method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate, br, zstd' }, body: body.replace(/}$/, ',"lang":"zh"}'), connections: 50, duration: 10, timeout: 60 }, 2, app);
  line('POST /api/match as the page asks (lang zh, compressed)', `${fmt(phone.rps)} req/s`, `p99 ${phone.p99} ms; server CPU ${fmt(1000 * phone.cpuPerRequest!)} µs/request; ratio to hello-world ${fmt(phone.rps / h.rps, 2)}; non-2xx ${phone.non2xx}, errors ${phone.errors}`);
  await app.stop();
}

/**
 * The watch re-matching bench, in its own process (its own database and memory figures), output passed
 * through; its environment (WATCHES, BENCH_DATABASE_URL …) is ours.
 */
async function watchesBench() {
  console.log('\n== watches (scripts/bench/watches.ts, a child process)');
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(rootDir, 'scripts/bench/watches.ts')], { cwd: rootDir, env: process.env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', resolve);
  });
  if (code !== 0) {
    line('watches bench', 'failed', `exit code ${code}`);
    process.exitCode = 1;
  }
}

// --only=matcher|http|serializer|submit|watches runs one part; --no-http skips the HTTP parts, --no-watches the watches.
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const noHttp = process.argv.includes('--no-http');
if (!only || only === 'matcher' || only === 'http' || only === 'serializer') {
  const facts = await matcherBench();
  if (!only || only === 'serializer') serializerBench(facts);
  if ((!only || only === 'http') && !noHttp) await httpBench(facts);
}
if ((!only || only === 'submit') && !noHttp) await submissionBench(line, fmt);
if ((!only || only === 'watches') && !process.argv.includes('--no-watches')) await watchesBench();
