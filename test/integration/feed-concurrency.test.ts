import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { outbox } from '../../models/leads';
import { startTestApp, type TestApp } from '../helpers/app';
import { eligibleFor, hardwareMaker, need, uscc } from '../helpers/applications';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';

const SUBMITTERS = 20;
const EACH = 4;

interface FeedItem { cursor: number; deliveryId: string; event: string; lead: { id: number } }

describe('GET /api/leads?since= › under 20 concurrent submitters to one bank', function () {
  this.timeout(300_000);
  let app: TestApp;
  let bankId: number;
  let token: string;

  before(async () => {
    app = await startTestApp();
    bankId = (await buildLendingBank(app.db)).id;
    token = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId }));
  });
  after(() => app.close());

  it('sees every committed lead change exactly once, numbered without gaps, while a reader polls', async () => {
    // Arrange: one product of the bank, and the bank's admin claiming leads as they come (status changes in the same feed).
    const product = (await eligibleFor(app, hardwareMaker())).find((p) => p.bankId === bankId)!;
    const consent = (await app.call('GET', '/api/applications/consent')).body;
    const created: number[] = [];
    const submitter = async (s: number) => {
      for (let i = 0; i < EACH; i++) {
        const res = await app.call('POST', '/api/applications', {
          body: { company: hardwareMaker({ uscc: uscc() }), contact: { name: '梁伟', phone: `1391${String(s * 100 + i).padStart(7, '0')}` }, need, mode: 'chosen', productIds: [product.id], consent: { version: consent.version, banks: [bankId] } },
        });
        expect(res.status, res.text).to.equal(201);
        created.push(res.body.leads[0].id);
        if (i % 2 === 0) expect((await app.call('POST', `/api/leads/${res.body.leads[0].id}/claim`, { token })).status).to.equal(200);
      }
    };

    // Act: the reader follows the feed from where it stands while the submitters run, then until it is drained.
    const seen: FeedItem[] = [];
    let cursor = 0;
    let running = true;
    const poll = async () => {
      const page = (await app.call('GET', `/api/leads?since=${cursor}&pageSize=7`, { token })).body as { items: FeedItem[]; nextCursor: number };
      seen.push(...page.items);
      cursor = page.nextCursor;
      return page.items.length;
    };
    while (await poll() > 0); // what the seed wrote
    const start = cursor;
    const before = new Set(seen.splice(0).map((x) => x.deliveryId));
    const reader = (async () => {
      while (running) await poll();
      while (await poll() > 0);
    })();
    await Promise.all(Array.from({ length: SUBMITTERS }, (_, s) => submitter(s)));
    running = false;
    await reader;

    // Assert: what was committed is what was read, once each, and the numbers run 1, 2, 3 …
    const committed = (await app.db.select({ deliveryId: outbox.deliveryId }).from(outbox).where(eq(outbox.bankId, bankId))).filter((x) => !before.has(x.deliveryId));
    expect(committed.length).to.equal(SUBMITTERS * EACH + (SUBMITTERS * EACH) / 2);
    expect(seen.map((x) => x.cursor)).to.deep.equal(seen.map((_, i) => start + i + 1));
    expect(new Set(seen.map((x) => x.deliveryId)).size, 'no change twice').to.equal(seen.length);
    expect([...seen.map((x) => x.deliveryId)].sort()).to.deep.equal(committed.map((x) => x.deliveryId).sort());
    expect(seen.filter((x) => x.event === 'lead.created').map((x) => x.lead.id).sort((a, b) => a - b)).to.deep.equal([...created].sort((a, b) => a - b));
    // Each lead's own changes in the order they happened: created before its claim.
    for (const id of created) {
      const mine = seen.filter((x) => x.lead.id === id).map((x) => x.event);
      expect(mine[0], `lead ${id}`).to.equal('lead.created');
    }
  });
});
