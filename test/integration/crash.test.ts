import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../server/db';
import { seedDemo } from '../../server/seed';
import { queryRows } from '../../server/sql';
import { hardwareMaker, need, uscc } from '../helpers/applications';
import { createServerDatabase, migratedDataDir, prepareDataDirTemplate } from '../helpers/db';
import { runService, type RunningService } from '../helpers/process';

const BURST = 160;
const CONCURRENCY = 8;
/** SIGKILL once this many answers have come back: the rest are in flight or not yet sent. */
const KILL_AFTER = 50;

interface Sent {
  key: string;
  body: Record<string, unknown>;
  status?: number;
  created?: { id: number; trackingToken: string; leads: { id: number }[] };
}

async function post(base: string, sent: Sent) {
  const res = await fetch(`${base}/api/applications`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': sent.key }, body: JSON.stringify(sent.body) });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true', body: await res.json() as Sent['created'] };
}

/** The bodies of a burst: each a new company (its own USCC and phone) asking two banks, each with an idempotency key. */
async function burstBodies(base: string): Promise<Sent[]> {
  const match = await (await fetch(`${base}/api/match`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ company: hardwareMaker(), need, limit: 1000 }) })).json() as { results: { eligible: boolean; product: { id: number; bankId: number } }[] };
  const banks = new Set<number>();
  const products = match.results.filter((r) => r.eligible && !banks.has(r.product.bankId) && banks.add(r.product.bankId)).slice(0, 2).map((r) => r.product);
  const consent = await (await fetch(`${base}/api/applications/consent`)).json() as { version: string };
  return Array.from({ length: BURST }, (_, i) => ({
    key: `crash-${Date.now()}-${i}`,
    body: {
      company: hardwareMaker({ uscc: uscc(), name: `肇庆崩溃测试企业${i}有限公司` }), contact: { name: '梁伟', phone: `139${String(10_000_000 + i).slice(-8)}` }, need,
      mode: 'chosen', productIds: products.map((p) => p.id), consent: { version: consent.version, banks: products.map((p) => p.bankId) },
    },
  }));
}

/**
 * Sends the burst with a few requests in flight and SIGKILLs the service mid-way; answers what each
 * request got (a status, or nothing: connection cut).
 */
async function burstAndKill(service: RunningService, sent: Sent[]) {
  let next = 0;
  let answered = 0;
  const worker = async () => {
    while (next < sent.length) {
      const s = sent[next++]!;
      try {
        const res = await post(service.baseUrl, s);
        s.status = res.status;
        if (res.status === 201) s.created = res.body;
      } catch {
        /* cut off by the kill */
      }
      if (++answered === KILL_AFTER) service.proc.kill('SIGKILL');
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await service.exited;
}

/** After the restart: every 201 present once, complete; the unanswered ones retried by key land once too; nothing half-written anywhere. */
async function checkAfterRestart(service: RunningService, database: () => Promise<Database>, sent: Sent[]) {
  const created = sent.filter((s) => s.status === 201);
  const unanswered = sent.filter((s) => s.status === undefined);
  expect(created.length, 'some submissions got their 201 before the kill').to.be.greaterThan(KILL_AFTER / 2);
  expect(unanswered.length, 'the kill cut the burst').to.be.greaterThan(0);
  expect(sent.every((s) => s.status === undefined || s.status === 201), 'only 201s or no answer').to.equal(true);

  // Retrying with the same key: a committed request answers with itself, an uncommitted one is created now.
  for (const s of [...created, ...unanswered]) {
    const again = await post(service.baseUrl, s);
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    if (s.created) {
      expect(again.replayed, 'a committed request answers with itself').to.equal(true);
      expect(again.body!.id).to.equal(s.created.id);
    }
  }

  const db = await database();
  try {
    for (const s of created) {
      const [row] = await queryRows<{ apps: number; leads: number; outbox: number; consents: number }>(db.db, sql`
        select (select count(*)::int from applications where tracking_token = ${s.created!.trackingToken}) as apps,
          (select count(*)::int from leads where application_id = ${s.created!.id}) as leads,
          (select count(*)::int from outbox o join leads l on l.id = o.lead_id where l.application_id = ${s.created!.id} and o.event = 'lead.created') as outbox,
          (select count(*)::int from consents where application_id = ${s.created!.id}) as consents`);
      expect(row, s.key).to.deep.equal({ apps: 1, leads: s.created!.leads.length, outbox: s.created!.leads.length, consents: 2 });
    }
    const companies = sent.map((s) => (s.body.company as { uscc: string }).uscc);
    const [counts] = await queryRows<{ requests: number; companies: number; orphans: number; leadsWithoutFeed: number }>(db.db, sql`
      with burst as (select a.id, c.uscc from applications a join companies c on c.id = a.company_id where c.uscc in (select jsonb_array_elements_text(${JSON.stringify(companies)}::jsonb)))
      select (select count(*)::int from burst) as requests, (select count(distinct uscc)::int from burst) as companies,
        (select count(*)::int from burst b where not exists (select 1 from leads l where l.application_id = b.id)) as orphans,
        (select count(*)::int from leads l join burst b on b.id = l.application_id
          where not exists (select 1 from outbox o where o.lead_id = l.id and o.event = 'lead.created')) as "leadsWithoutFeed"`);
    expect(counts).to.deep.equal({ requests: BURST, companies: BURST, orphans: 0, leadsWithoutFeed: 0 });
  } finally {
    await db.close();
  }
}

// A kiosk-like burst: no SMS code per request (PHONE_VERIFICATION=off), as at a desk's self-service terminal.
const burstEnv = { APPLICATION_RATE_LIMIT_IP: '1000000', APPLICATION_RATE_LIMIT_COMPANY: '1000', MATCH_RATE_LIMIT: '1000000', LOG_LEVEL: 'warn', PHONE_VERIFICATION: 'off' };

describe('crash: SIGKILL in the middle of a burst of submissions loses or doubles nothing', function () {
  this.timeout(300_000);
  // The embedded run starts from a migrated data directory; its template is made here, not inside the test.
  before(() => prepareDataDirTemplate());
  const running: RunningService[] = [];
  after(async () => {
    for (const s of running) await s.stop('SIGKILL');
  });

  it('on the embedded database (PGlite)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rongma-crash-'));
    try {
      // Already migrated (the run's template), so the first start does not spend the wait on initdb and migrations.
      await migratedDataDir(dataDir);
      const first = await runService({ ...burstEnv, DATA_DIR: dataDir });
      running.push(first);
      await first.ready(120_000);
      const sent = await burstBodies(first.baseUrl);
      await burstAndKill(first, sent);
      const second = await runService({ ...burstEnv, DATA_DIR: dataDir, SEED_ON_FIRST_START: 'false' });
      running.push(second);
      await second.ready(120_000);
      await checkAfterRestart(second, async () => {
        await second.stop('SIGTERM');
        return openDatabase({ dataDir });
      }, sent);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('on the PostgreSQL server', async () => {
    const server = await createServerDatabase(new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'), 'rongma_crash_test');
    try {
      const setup = await openDatabase({ databaseUrl: server.url });
      await setup.migrate();
      await seedDemo(setup.db, { accounts: false });
      await setup.close();
      const first = await runService({ ...burstEnv, DATABASE_URL: server.url });
      running.push(first);
      await first.ready(60_000);
      const sent = await burstBodies(first.baseUrl);
      await burstAndKill(first, sent);
      const second = await runService({ ...burstEnv, DATABASE_URL: server.url });
      running.push(second);
      await second.ready(60_000);
      await checkAfterRestart(second, () => openDatabase({ databaseUrl: server.url }), sent);
      await second.stop('SIGTERM');
    } finally {
      await server.drop();
    }
  });
});
