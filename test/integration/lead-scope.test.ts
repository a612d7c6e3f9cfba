import { expect } from 'chai';
import { count, eq } from 'drizzle-orm';
import type { BranchRow } from '../../models/banks';
import { leadEvents, leads, outbox } from '../../models/leads';
import type { UserRow } from '../../models/users';
import { startTestApp, type Reply, type TestApp } from '../helpers/app';
import { eligibleFor, hardwareMaker, need, requestAtBank } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBranch, buildLendingBank, buildUser, tokenFor } from '../helpers/factories';

describe('leads of a bank officer tied to a branch', function () {
  this.timeout(90_000);
  let app: TestApp;
  let bankA: number;
  let b80: BranchRow;
  let b81: BranchRow;
  const u: Record<string, UserRow> = {};
  const t: Record<string, string> = {};

  before(async () => {
    app = await startTestApp();
    bankA = (await buildLendingBank(app.db)).id;
    b80 = await buildBranch(app.db, bankA, { name: '端州支行', district: '441202' });
    b81 = await buildBranch(app.db, bankA, { name: '高要支行', district: '441204' });
    u.officer80 = await buildUser(app.db, { role: 'bank_officer', bankId: bankA, branchId: b80.id });
    u.officer81 = await buildUser(app.db, { role: 'bank_officer', bankId: bankA, branchId: b81.id });
    u.officerAnyBranch = await buildUser(app.db, { role: 'bank_officer', bankId: bankA });
    u.adminA = await buildUser(app.db, { role: 'bank_admin', bankId: bankA });
    u.desk = await buildUser(app.db, { role: 'desk' });
    for (const [k, v] of Object.entries(u)) t[k] = await tokenFor(app, v);
  });
  after(() => app.close());

  const post = (token: string | undefined, path: string, body: object = {}) => app.call('POST', path, { token, body });
  const routing = (body: object) => app.call('PUT', `/api/banks/${bankA}/routing`, { token: t.adminA, body });
  const tally = async () => ({
    events: Number((await app.db.select({ n: count() }).from(leadEvents))[0]!.n),
    changes: Number((await app.db.select({ n: count() }).from(outbox))[0]!.n),
  });
  const row = async (id: number) => (await app.db.select().from(leads).where(eq(leads.id, id)))[0]!;

  /** A new lead of bank A that the bank's routing rule sends to branch 81 (district 441204). */
  async function leadRoutedTo81(): Promise<number> {
    expect((await routing({ rules: [{ district: '441204', branchId: b81.id }] })).status).to.equal(200);
    const { leadId } = await requestAtBank(app, bankA);
    expect((await routing({ rules: [] })).status).to.equal(200);
    expect((await row(leadId)).branchId).to.equal(b81.id);
    return leadId;
  }

  /** An open request (抢单) to bank A, routed to no branch. */
  async function openRequest(): Promise<number> {
    const company = hardwareMaker();
    expect((await eligibleFor(app, company)).some((p) => p.bankId === bankA)).to.equal(true);
    const consent = (await app.call('GET', '/api/applications/consent')).body;
    const res = await post(undefined, '/api/applications', {
      company, contact: { name: '梁伟', phone: '13812345678' }, need, mode: 'open', consent: { version: consent.version, banks: [bankA] },
    });
    expect(res.status, res.text).to.equal(201);
    const lead = (res.body.leads as { id: number; bankId: number }[]).find((l) => l.bankId === bankA)!;
    expect(await row(lead.id)).to.include({ open: true, branchId: null, officerId: null });
    return lead.id;
  }

  /** Each of these answers the same as for a lead that does not exist, and the lead is left as it was. */
  async function expectAllLikeMissing(calls: ((id: number) => Promise<Reply>)[], id: number) {
    const before = await row(id);
    const tallyBefore = await tally();
    for (const call of calls) {
      const missing = await call(999_999);
      const res = await call(id);
      expect(res.status, res.text).to.equal(missing.status);
      expectProblem(res, missing.status);
      expect(res.body).to.deep.equal(missing.body);
    }
    expect(await row(id)).to.deep.equal(before);
    expect(await tally()).to.deep.equal(tallyBefore);
  }

  describe('a lead routed to another branch', () => {
    it('POST /api/leads/:id/claim › when the lead is routed to another branch › returns the 404 of a missing lead, unmasks nothing and moves nothing', async () => {
      const id = await leadRoutedTo81();
      await expectAllLikeMissing([(x) => post(t.officer80, `/api/leads/${x}/claim`)], id);
      const claim = await post(t.officer80, `/api/leads/${id}/claim`);
      expectProblem(claim, 404, 'lead_not_found');
      expect(claim.text).not.to.contain('13812345678');
      expect(await row(id)).to.include({ status: 'new', branchId: b81.id, officerId: null });
    });

    it('every lead action › when the lead is held by another branch › answers exactly like a missing lead and writes no lead_event', async () => {
      const id = await leadRoutedTo81();
      expect((await post(t.officer81, `/api/leads/${id}/claim`)).status).to.equal(200);
      await expectAllLikeMissing([
        (x) => app.call('GET', `/api/leads/${x}`, { token: t.officer80 }),
        (x) => app.call('GET', `/api/leads/${x}/events`, { token: t.officer80 }),
        (x) => post(t.officer80, `/api/leads/${x}/claim`),
        (x) => post(t.officer80, `/api/leads/${x}/contact`, { note: '想抢过来' }),
        (x) => post(t.officer80, `/api/leads/${x}/decision`, { outcome: 'declined', reasonCode: 'collateral' }),
        (x) => post(t.officer80, `/api/leads/${x}/disburse`, { amount: 1000, disbursedOn: '2026-11-21' }),
        (x) => post(t.officer80, `/api/leads/${x}/first-loan`, { isFirstLoan: false }),
        // Assigning is the bank admin's: the officer is refused for any id, existing or not.
        (x) => post(t.officer80, `/api/leads/${x}/assign`, { officerId: u.officer80!.id }),
      ], id);
      expect((await row(id)).officerId).to.equal(u.officer81!.id);
    });

    it('GET /api/leads › when another branch holds leads › lists and feeds only the officer\'s branch and the unassigned ones', async () => {
      const theirs = await leadRoutedTo81();
      const unrouted = (await requestAtBank(app, bankA)).leadId;
      const list = (await app.call('GET', '/api/leads?pageSize=200', { token: t.officer80 })).body;
      const ids = list.items.map((l: { id: number }) => l.id);
      expect(ids).to.include(unrouted).and.not.to.include(theirs);
      expect(list.items.every((l: { branchId: number | null }) => l.branchId === null || l.branchId === b80.id)).to.equal(true);
      const forged = (await app.call('GET', `/api/leads?pageSize=200&branchId=${b81.id}`, { token: t.officer80 })).body;
      expect(forged.items).to.deep.equal([]);

      const feed = (await app.call('GET', '/api/leads?since=0&pageSize=200', { token: t.officer80 })).body;
      const fed = new Set(feed.items.map((c: { lead: { id: number } }) => c.lead.id));
      expect(fed.has(unrouted)).to.equal(true);
      expect(fed.has(theirs)).to.equal(false);
      const own = (await app.call('GET', '/api/leads?since=0&pageSize=200', { token: t.officer81 })).body;
      expect(own.items.map((c: { lead: { id: number } }) => c.lead.id)).to.include(theirs);
      const bank = (await app.call('GET', '/api/leads?since=0&pageSize=200', { token: t.adminA })).body;
      expect(bank.items.map((c: { lead: { id: number } }) => c.lead.id)).to.include.members([theirs, unrouted]);
    });
  });

  describe('leads no branch holds yet', () => {
    it('POST /api/leads/:id/claim › when an open request of the bank is routed to no branch › lets a branch officer claim it for their branch', async () => {
      const id = await openRequest();
      const claimed = await post(t.officer80, `/api/leads/${id}/claim`);
      expect(claimed.status, claimed.text).to.equal(200);
      expect(claimed.body).to.include({ status: 'claimed', branchId: b80.id, officerId: u.officer80!.id });
      expect(claimed.body.contact.masked).to.equal(false);
      // Now it is branch 80's: branch 81 sees it no more.
      expectProblem(await app.call('GET', `/api/leads/${id}`, { token: t.officer81 }), 404, 'lead_not_found');
    });

    it('POST /api/leads/:id/claim › when officers of two branches race for an unrouted lead › gives it to one branch; the other gets the 404 of a missing lead', async () => {
      const { leadId } = await requestAtBank(app, bankA);
      const claims = await Promise.all([post(t.officer80, `/api/leads/${leadId}/claim`), post(t.officer81, `/api/leads/${leadId}/claim`)]);
      expect(claims.map((c) => c.status).sort()).to.deep.equal([200, 404]);
      const winner = claims.find((c) => c.status === 200)!.body;
      const loser = claims.find((c) => c.status === 404)!;
      expectProblem(loser, 404, 'lead_not_found');
      expect(await row(leadId)).to.include({ status: 'claimed', branchId: winner.branchId, officerId: winner.officerId });
      const events = await app.db.select().from(leadEvents).where(eq(leadEvents.leadId, leadId));
      expect(events.map((e) => e.action)).to.deep.equal(['created', 'claim']);
    });

    it('POST /api/leads/:id/claim › when a chosen request is routed to no branch › lets a branch officer claim it', async () => {
      const { leadId } = await requestAtBank(app, bankA);
      const claimed = await post(t.officer81, `/api/leads/${leadId}/claim`);
      expect(claimed.status, claimed.text).to.equal(200);
      expect(claimed.body).to.include({ branchId: b81.id, officerId: u.officer81!.id });
    });

    it('GET /api/leads/:id › when an officer of no branch holds an unrouted lead › is 404 to a branch officer', async () => {
      const { leadId } = await requestAtBank(app, bankA);
      expect((await post(t.officerAnyBranch, `/api/leads/${leadId}/claim`)).body).to.include({ branchId: null, officerId: u.officerAnyBranch!.id });
      await expectAllLikeMissing([
        (x) => app.call('GET', `/api/leads/${x}`, { token: t.officer80 }),
        (x) => post(t.officer80, `/api/leads/${x}/contact`),
      ], leadId);
      expect((await app.call('GET', `/api/leads/${leadId}`, { token: t.adminA })).status).to.equal(200);
      expect((await app.call('GET', `/api/leads/${leadId}`, { token: t.desk })).status).to.equal(200);
    });

    it('GET /api/leads/:id › when the bank admin accepted an unrouted lead for the bank › is 404 to a branch officer, with the contact kept from them', async () => {
      const { leadId } = await requestAtBank(app, bankA);
      expect((await post(t.adminA, `/api/leads/${leadId}/claim`)).body).to.include({ status: 'claimed', branchId: null, officerId: null });
      await expectAllLikeMissing([
        (x) => app.call('GET', `/api/leads/${x}`, { token: t.officer80 }),
        (x) => app.call('GET', `/api/leads/${x}/events`, { token: t.officer80 }),
        (x) => post(t.officer80, `/api/leads/${x}/contact`),
      ], leadId);
      const listed = await app.call('GET', '/api/leads?pageSize=100', { token: t.officer80 });
      expect(listed.body.items.map((l: { id: number }) => l.id)).not.to.include(leadId);
      expect((await app.call('GET', `/api/leads/${leadId}`, { token: t.officerAnyBranch })).status, 'an officer of the whole bank').to.equal(200);
    });
  });

  describe('POST /api/leads/:id/assign', () => {
    it('POST /api/leads/:id/assign › when the officer works at another branch than the one named › returns 400 on branchId', async () => {
      const { leadId } = await requestAtBank(app, bankA);
      expectFieldErrors(await post(t.adminA, `/api/leads/${leadId}/assign`, { officerId: u.officer80!.id, branchId: b81.id }), ['branchId']);
      expect((await row(leadId)).status).to.equal('new');
    });

    it('POST /api/leads/:id/assign › when the lead moves to another branch › releases the old branch\'s officer, who no longer sees it', async () => {
      const id = await leadRoutedTo81();
      await post(t.officer81, `/api/leads/${id}/claim`);
      const moved = await post(t.adminA, `/api/leads/${id}/assign`, { branchId: b80.id });
      expect(moved.status, moved.text).to.equal(200);
      expect(moved.body).to.include({ branchId: b80.id, officerId: null, status: 'claimed' });
      expectProblem(await app.call('GET', `/api/leads/${id}`, { token: t.officer81 }), 404, 'lead_not_found');
      expect((await post(t.officer80, `/api/leads/${id}/contact`)).body).to.include({ status: 'contacted', officerId: u.officer80!.id });
    });
  });
});
