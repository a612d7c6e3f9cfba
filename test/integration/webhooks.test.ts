import { expect } from 'chai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { outbox } from '../../models/leads';
import { backoffMs, deliverDue, MAX_ATTEMPTS } from '../../server/webhooks';
import { createLogger } from '../../server/logger';
import { startTestApp, type TestApp } from '../helpers/app';
import { requestAtBank } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';
import { startReceiver } from '../helpers/receiver';

const SECRET = 'whsec-test-0123456789abcdef';

describe('webhooks from the transactional outbox', function () {
  this.timeout(90_000);
  let app: TestApp;
  let bankA: number;
  let bankB: number;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const t: Record<string, string> = {};
  const deliver = (a: TestApp = app) => deliverDue({ db: a.db, clock: a.clock, logger: createLogger('silent'), config: a.config });

  before(async () => {
    app = await startTestApp();
    bankA = (await buildLendingBank(app.db)).id;
    bankB = (await buildLendingBank(app.db)).id;
    t.adminA = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: bankA }));
    t.officerA = await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: bankA }));
    t.adminB = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: bankB }));
    receiver = await startReceiver(SECRET);
  });
  after(async () => {
    await receiver.close();
    await app.close();
  });
  beforeEach(() => {
    receiver.state.down = false;
  });

  const leadAtA = async () => (await requestAtBank(app, bankA)).leadId;

  it('lets only the bank\'s admin set the webhook, never shows the secret, and refuses bad input', async () => {
    expectProblem(await app.call('PUT', `/api/banks/${bankA}/webhook`, { token: t.adminB, body: { url: receiver.url, secret: SECRET } }), 404, 'bank_not_found');
    expectProblem(await app.call('GET', `/api/banks/${bankA}/webhook`, { token: t.adminB }), 404, 'bank_not_found');
    expectProblem(await app.call('GET', `/api/banks/${bankA}/routing`, { token: t.adminB }), 404, 'bank_not_found');
    expectProblem(await app.call('PUT', `/api/banks/${bankA}/webhook`, { token: t.officerA, body: { url: receiver.url, secret: SECRET } }), 403);
    expectFieldErrors(await app.call('PUT', `/api/banks/${bankA}/webhook`, { token: t.adminA, body: { url: 'ftp://x', secret: 'short' } }), ['url', 'secret']);
    const res = await app.call('PUT', `/api/banks/${bankA}/webhook`, { token: t.adminA, body: { url: receiver.url, secret: SECRET } });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ url: receiver.url, configured: true });
    expect(res.text).not.to.contain(SECRET);
    expect((await app.call('GET', `/api/banks/${bankA}/webhook`, { token: t.adminA })).text).not.to.contain(SECRET);
  });

  it('delivers each new lead and change once, signed, in a POST the receiver verifies on its own', async () => {
    const id = await leadAtA();
    await app.call('POST', `/api/leads/${id}/claim`, { token: t.officerA });
    const first = await deliver();
    expect(first.delivered).to.be.at.least(2);
    expect((await deliver()).delivered).to.equal(0);
    const mine = [...receiver.seen.values()].filter((b) => (b as { lead: { id: number } }).lead.id === id) as { event: string; cursor: number; deliveryId: string }[];
    expect(mine.map((b) => b.event)).to.deep.equal(['lead.created', 'lead.status_changed']);
    expect(mine[1]!.cursor).to.equal(mine[0]!.cursor + 1);
    expect(receiver.state.badSignatures).to.equal(0);
    expect(JSON.stringify(mine)).not.to.contain('13812345678');
  });

  it('retries with backoff while the receiver is down, then delivers exactly once per delivery id', async () => {
    receiver.state.down = true;
    const id = await leadAtA();
    expect((await deliver()).failed).to.be.at.least(1);
    const [row] = await app.db.select().from(outbox).where(eq(outbox.leadId, id));
    expect(row!.attempts).to.equal(1);
    expect(row!.lastError).to.equal('HTTP 503');
    expect(row!.nextAttemptAt.getTime()).to.be.greaterThan(app.clock.now().getTime());
    expect((await deliver()).failed, 'not retried before its time').to.equal(0);
    app.clock.advance(2 * 60_000);
    await deliver();
    receiver.state.down = false;
    app.clock.advance(10 * 60_000);
    await deliver();
    await deliver();
    const [done] = await app.db.select().from(outbox).where(eq(outbox.leadId, id));
    expect(done!.deliveredAt).to.not.equal(null);
    expect(receiver.seen.has(done!.deliveryId)).to.equal(true);
    expect(receiver.state.duplicates).to.equal(0);
  });

  it('loses nothing when a process dies mid-delivery or restarts mid-backoff: another instance delivers it', async () => {
    receiver.state.down = true;
    const id = await leadAtA();
    await deliver(); // failed once; now in backoff
    app.clock.advance(5 * 60_000);
    // This "process" claims the delivery and dies while POSTing: its fetch never returns.
    void deliverDue({ db: app.db, clock: app.clock, logger: createLogger('silent'), config: app.config, fetch: () => new Promise<Response>(() => {}) });
    await new Promise((r) => setTimeout(r, 200));
    const [leased] = await app.db.select().from(outbox).where(eq(outbox.leadId, id));
    expect(leased!.deliveredAt).to.equal(null);
    expect((await deliver()).delivered, 'the lease keeps others off meanwhile').to.equal(0);
    receiver.state.down = false;
    app.clock.advance(61_000); // the lease runs out; a restarted instance picks it up
    await deliverDue({ db: app.db, clock: app.clock, logger: createLogger('silent'), config: app.config });
    const [row] = await app.db.select().from(outbox).where(eq(outbox.leadId, id));
    expect(row!.deliveredAt).to.not.equal(null);
    expect(receiver.seen.has(row!.deliveryId)).to.equal(true);
  });

  it('dead-letters after 12 tries, shows it in the delivery log, and redelivers on the admin\'s word', async () => {
    receiver.state.down = true;
    const id = await leadAtA();
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await deliver();
      app.clock.advance(25 * 3600_000);
    }
    const [row] = await app.db.select().from(outbox).where(eq(outbox.leadId, id));
    expect(row!.deadAt).to.not.equal(null);
    expect(row!.attempts).to.equal(MAX_ATTEMPTS);
    // 300 hours later the morning's sessions have long expired.
    t.adminA = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: bankA }));
    t.adminB = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: bankB }));
    const log = await app.call('GET', `/api/banks/${bankA}/webhook/deliveries?state=dead`, { token: t.adminA });
    expect(log.body.items.map((d: { deliveryId: string }) => d.deliveryId)).to.include(row!.deliveryId);
    expectProblem(await app.call('GET', `/api/banks/${bankA}/webhook/deliveries`, { token: t.adminB }), 404);
    expectProblem(await app.call('POST', `/api/banks/${bankB}/webhook/deliveries/${row!.deliveryId}/redeliver`, { token: t.adminB }), 404, 'delivery_not_found');
    receiver.state.down = false;
    const again = await app.call('POST', `/api/banks/${bankA}/webhook/deliveries/${row!.deliveryId}/redeliver`, { token: t.adminA });
    expect(again.status).to.equal(202);
    await deliver();
    expect(receiver.seen.has(row!.deliveryId)).to.equal(true);
  });

  it('outbox delivery › when the receiver takes the request and never answers › gives up after 5 s and retries later', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hooks/rongma`;
      expect((await app.call('PUT', `/api/banks/${bankA}/webhook`, { token: t.adminA, body: { url, secret: SECRET } })).status).to.equal(200);
      const id = await leadAtA();
      const started = Date.now();
      expect((await deliver()).failed).to.be.at.least(1);
      expect(Date.now() - started).to.be.within(4_500, 15_000);
      const [row] = await app.db.select().from(outbox).where(eq(outbox.leadId, id));
      expect(row!.lastError).to.equal('no answer within 5 s');
      expect(row!.nextAttemptAt.getTime()).to.be.greaterThan(app.clock.now().getTime());
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
      await app.call('PUT', `/api/banks/${bankA}/webhook`, { token: t.adminA, body: { url: receiver.url, secret: SECRET } });
    }
  });

  it('backs off exponentially with jitter, capped at 24 hours', () => {
    expect(backoffMs(1, () => 0.5)).to.equal(30_000);
    expect(backoffMs(3, () => 0.5)).to.equal(120_000);
    expect(backoffMs(3, () => 0)).to.equal(60_000);
    expect(backoffMs(20, () => 0.99)).to.equal(24 * 3600_000);
  });
});
