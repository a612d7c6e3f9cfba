// `node --import tsx scripts/bench/watches.ts` (env WATCHES, default 1,000,000): re-matching that many watches on
// PostgreSQL after one publish — the time to re-match and queue the messages, and peak RSS, beside the batch
// matcher's pairs per second measured in the same run (the machine is shared: read the ratio).
// The database is `rongma_bench_watches` on the server of BENCH_DATABASE_URL (else DATABASE_URL, else the local
// postgres); it is kept between runs (loading a million watches takes minutes) and reset to "before the publish"
// at each start. WATCHES_FRESH=1 reloads it.
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { BatchMatcher } from '../../matchers/batch';
import { toFacts } from '../../matchers/facts';
import { Catalogue } from '../../server/catalogue';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db';
import { createLogger } from '../../server/logger';
import { seedDemo } from '../../server/seed';
import { queryRows } from '../../server/sql';
import { rematchWatches } from '../../server/watches/rematch';
import pg from 'pg';
import { randomProfile, rng } from '../../test/helpers/profiles';

const WATCHES = Number(process.env.WATCHES ?? 1_000_000);
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const line = (name: string, value: string, note = '') => console.log(`${name.padEnd(58)} ${value.padStart(16)}  ${note}`);

/** The kept bench database (made when missing, remade with WATCHES_FRESH=1); its name says `bench`. */
async function benchDatabaseUrl(): Promise<string> {
  const base = new URL(process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  const name = 'rongma_bench_watches';
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount;
    if (exists && process.env.WATCHES_FRESH === '1') await admin.query(`drop database "${name}" with (force)`);
    if (!exists || process.env.WATCHES_FRESH === '1') await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return url.toString();
}

async function main() {
  const database = await openDatabase({ databaseUrl: await benchDatabaseUrl(), poolSize: 4 });
  const logger = createLogger('silent');
  try {
    await database.migrate();
    const db = database.db;
    const now = new Date('2026-11-20T02:00:00Z');
    const clock = { now: () => now };
    await seedDemo(db, { accounts: false, now });
    const matcher = await new Catalogue(db, clock, logger).current();
    // The product to be "published": the one most of the generated companies qualify for.
    const next = rng(7);
    const sample = Array.from({ length: 20_000 }, () => randomProfile(next, '2026-11-20'));
    const batch = new BatchMatcher(matcher.compiled);
    const cols = batch.encode(sample.map((p) => toFacts(p.company, p.need, '2026-11-20')));
    const eligible = new Uint8Array(cols.count * batch.n);
    batch.run(cols, eligible, new Uint8Array(cols.count * batch.n), { scoreAll: false });
    let best = 0;
    let bestCount = -1;
    for (let p = 0; p < batch.n; p++) {
      let c = 0;
      for (let i = 0; i < cols.count; i++) c += eligible[p * cols.count + i]!;
      if (c > bestCount) [best, bestCount] = [p, c];
    }
    const productId = batch.products[best]!.source.id;
    const others = batch.products.map((p) => p.source.id).filter((id) => id !== productId);
    const otherIds = `{${others.join(',')}}`;

    console.log(`\n== watches: ${fmt(WATCHES)} on PostgreSQL, then one product published (${fmt((100 * bestCount) / cols.count, 1)}% of profiles fit it)`);
    // Back to "before the publish": a kept database still holds the last run's messages and told products.
    let t = performance.now();
    await db.execute(sql`delete from sms_messages where template = 'watch'`);
    await db.execute(sql`delete from short_links where target like '/apply?w=%' or target like '/watch/%'`);
    await db.execute(sql`update watches set told_product_ids = ${otherIds}::integer[], last_notified_at = null, notifications = 0 where notifications > 0`);
    const [have] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from watches`);
    if (have!.n !== WATCHES) await db.execute(sql`truncate watches`);
    await db.execute(sql`vacuum analyze watches`);
    await db.execute(sql`vacuum analyze sms_messages`);
    await db.execute(sql`vacuum analyze short_links`);
    line('reset the kept database (set-up, not the figure)', `${fmt((performance.now() - t) / 1000, 1)} s`, have!.n === WATCHES ? `${fmt(have!.n)} watches kept` : 'reloading');
    t = performance.now();
    const load = have!.n === WATCHES ? 0 : WATCHES;
    const CHUNK = 10_000;
    const gen = rng(11);
    for (let from = 0; from < load; from += CHUNK) {
      const n = Math.min(CHUNK, load - from);
      const rows: { t: string; p: string; c: object; nd: object }[] = [];
      for (let i = 0; i < n; i++) {
        const k = from + i;
        const { company, need } = randomProfile(gen, '2026-11-20');
        rows.push({ t: `bench${String(k).padStart(27, '0')}`, p: `139${String(k).padStart(8, '0')}`, c: { ...company, uscc: `91441200MA${String(k).padStart(8, '0')}`, name: `企业${k}` }, nd: need });
      }
      // Everything published before counts as told (as it would have been when each watch was made).
      await db.execute(sql`
        insert into watches (token, phone, company, need, consent_version, told_product_ids, created_at, expires_at)
        select t, p, c, nd, 'watch-2026-12', ${otherIds}::integer[], ${now.toISOString()}::timestamptz, ${new Date(now.getTime() + 180 * 86_400_000).toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as u(t text, p text, c jsonb, nd jsonb)`);
    }
    if (load) {
      line('insert watches (set-up, not the figure)', `${fmt((performance.now() - t) / 1000, 1)} s`);
      await db.execute(sql`vacuum analyze watches`);
    }
    await db.execute(sql`update products set status = 'published', published_at = ${now.toISOString()}::timestamptz where id = ${productId}`);

    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    t = performance.now();
    const counts = await rematchWatches({ db, clock, logger, config: { ...loadConfig({ NODE_ENV: 'test' }), jwtSecret: 'x'.repeat(32) } }, { onlyProductIds: [productId] });
    const seconds = (performance.now() - t) / 1000;
    clearInterval(sampler);
    const [queued] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from sms_messages where template = 'watch'`);
    line('re-match all watches and queue their messages', `${fmt(seconds, 1)} s`, `target ≤ 60 s; ${fmt(counts.watches)} watches, ${fmt(counts.pairs)} eligible pairs`);
    line('messages queued (one per newly eligible watch)', fmt(Number(queued!.n)), `notified ${fmt(counts.notified)}`);
    line('peak RSS during the re-match', `${fmt(peak / 1048576)} MiB`, 'target ≤ 512 MiB');
    line('re-match throughput', `${fmt(counts.watches / seconds)} watches/s`, 'against the one new product, as the job does after a publish');

    // The batch matcher alone, in the same process, on the in-memory sample (pairs per second).
    const runs = 5;
    t = performance.now();
    for (let r = 0; r < runs; r++) batch.run(cols, eligible, new Uint8Array(cols.count * batch.n), { scoreAll: false });
    const rate = (runs * cols.count * batch.n) / ((performance.now() - t) / 1000);
    line('batch matcher alone (same run)', `${fmt(rate)} pairs/s`, 'the re-match above reads, decodes and writes besides');
  } finally {
    await database.close();
  }
}

await main();
