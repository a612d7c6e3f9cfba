import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { leadEvents, leads, outbox } from '../../models/leads';
import type { UserRow } from '../../models/users';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { hardwareMaker, requestAtBank } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildLendingBank, buildProduct, buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

describe('a lead as its bank sees it, and corrections of its terms', function () {
  this.timeout(120_000);
  let app: TestApp;
  let bankA: number;
  let bankB: number;
  const u: Record<string, UserRow> = {};
  const t: Record<string, string> = {};

  before(async () => {
    // Tuesday 10:00 in Shanghai, a working day.
    app = await startTestApp({ clock: new TestClock(sh('2026-03-03T10:00')) });
    bankA = (await buildLendingBank(app.db)).id;
    // A product that leaves the tax rating to the bank, for a company that does not know its own.
    await buildProduct(app.db, bankA, { criteria: { minYearsInOperation: 2 } });
    bankB = (await buildLendingBank(app.db)).id;
    u.officerA = await buildUser(app.db, { role: 'bank_officer', bankId: bankA });
    u.adminA = await buildUser(app.db, { role: 'bank_admin', bankId: bankA });
    u.officerB = await buildUser(app.db, { role: 'bank_officer', bankId: bankB });
    u.desk = await buildUser(app.db, { role: 'desk' });
    await signIn();
  });
  after(() => app.close());

  /** Fresh sessions on the app's clock (one issued before the clock moved days ahead has expired). */
  async function signIn() {
    for (const [k, v] of Object.entries(u)) t[k] = await tokenFor(app, v);
  }
  const at = async (local: string) => {
    app.clock.set(sh(local));
    await signIn();
  };
  const post = (token: string | undefined, path: string, body: object = {}) => app.call('POST', path, { token, body });
  const get = (token: string | undefined, path: string) => app.call('GET', path, { token });
  const approve = { outcome: 'approved', amount: 1_000_000, ratePct: 5.16, termMonths: 12, guaranteeType: 'credit' };

  async function contacted(company?: Record<string, unknown>) {
    const r = await requestAtBank(app, bankA, { company });
    expect((await post(t.officerA, `/api/leads/${r.leadId}/claim`)).status).to.equal(200);
    expect((await post(t.officerA, `/api/leads/${r.leadId}/contact`)).status).to.equal(200);
    return r;
  }
  async function approved() {
    const r = await contacted();
    expect((await post(t.officerA, `/api/leads/${r.leadId}/decision`, approve)).status).to.equal(200);
    return r;
  }

  describe('GET /api/leads/:id', () => {
    it('GET /api/leads/:id › when its bank reads it › carries the whole company, need, consent, deadlines, actions and match', async () => {
      await at('2026-03-03T10:00');
      const company = hardwareMaker({ taxRating: 'unknown', certifications: ['high_tech', 'specialized'] });
      const { leadId } = await requestAtBank(app, bankA, { company });
      const res = await get(t.officerA, `/api/leads/${leadId}`);
      expect(res.status, res.text).to.equal(200);
      const b = res.body;
      expect(b.company).to.deep.include({
        uscc: company.uscc, name: company.name, district: '441204', industry: 'C33', establishedOn: '2019-05-10', employees: 45,
        annualRevenue: 18_000_000, totalAssets: 12_000_000, taxRating: 'unknown', hasBankLoan: false, overdueCount: 0,
        collateral: ['equipment'], guaranteeAvailable: false, certifications: ['high_tech', 'specialized'], size: 'small',
      });
      expect(b.need).to.deep.equal({ amount: 1_000_000, termMonths: 12, purpose: '采购原材料' });
      expect(b.consent).to.include({ purpose: 'dispatch' }).and.to.have.keys('version', 'purpose', 'grantedAt');
      expect(b.deadlines.acceptDueAt).to.equal(sh('2026-03-04T10:00').toISOString());
      expect(b.deadlines).to.have.keys('acceptDueAt', 'contactDueAt', 'decisionDueAt', 'escalateAt');
      expect(b.overdue).to.equal(null);
      expect(b.actions).to.deep.equal(['claim']);
      expect(b.match.eligible).to.equal(true);
      expect(b.match.score).to.be.within(0, 100);
      expect(b.match.reasons).to.be.an('array').with.length.above(0);
      for (const r of b.match.reasons) expect(r).to.include.keys('criterion', 'status', 'message');
      expect((await get(t.adminA, `/api/leads/${leadId}`)).body.actions).to.deep.equal(['claim', 'assign']);
      expect((await get(t.desk, `/api/leads/${leadId}`)).body.actions).to.deep.equal([]);
    });

    it('GET /api/leads/:id › when another bank asks › returns the same 404 as a missing lead, with none of the fields', async () => {
      await at('2026-03-03T10:00');
      const { leadId } = await requestAtBank(app, bankA);
      const missing = await get(t.officerB, '/api/leads/999999');
      const res = await get(t.officerB, `/api/leads/${leadId}`);
      expectProblem(res, 404, 'lead_not_found');
      expect(res.body).to.deep.equal(missing.body);
      expect(res.text).not.to.match(/company|uscc|deadlines|actions|match/);
    });

    it('GET /api/leads/:id › when a deadline has passed › names the late step', async () => {
      await at('2026-03-03T10:00');
      const { leadId } = await requestAtBank(app, bankA);
      await at('2026-03-04T10:01');
      expect((await get(t.officerA, `/api/leads/${leadId}`)).body.overdue).to.equal('accept');
      expect((await post(t.officerA, `/api/leads/${leadId}/claim`)).body.overdue).to.equal(null);
    });

    it('GET /api/leads/:id › at each step › offers the actions of the one transition table, per role', async () => {
      await at('2026-03-03T10:00');
      const { leadId: id } = await requestAtBank(app, bankA);
      const actions = async (token: string | undefined) => (await get(token, `/api/leads/${id}`)).body.actions as string[];
      expect((await post(t.officerA, `/api/leads/${id}/claim`)).body.actions).to.deep.equal(['contact', 'decline', 'confirm_first_loan']);
      expect(await actions(t.adminA)).to.deep.equal(['assign', 'contact', 'decline', 'confirm_first_loan']);
      expect((await post(t.officerA, `/api/leads/${id}/contact`)).body.actions).to.deep.equal(['approve', 'decline', 'confirm_first_loan']);
      expect((await post(t.officerA, `/api/leads/${id}/decision`, approve)).body.actions).to.deep.equal(['disburse', 'amend', 'confirm_first_loan']);
      expect(await actions(t.adminA)).to.deep.equal(['disburse', 'amend', 'confirm_first_loan']);
      const paid = await post(t.officerA, `/api/leads/${id}/disburse`, { amount: 1_000_000, disbursedOn: '2026-03-03' });
      expect(paid.body.actions).to.deep.equal(['amend', 'confirm_first_loan']);
      expect(await actions(t.desk)).to.deep.equal([]);
    });

    it('GET /api/leads/:id › when a declined lead is still unchecked › keeps the credit-report check until it is answered', async () => {
      await at('2026-03-03T10:00');
      const { leadId: id } = await contacted();
      const declined = await post(t.officerA, `/api/leads/${id}/decision`, { outcome: 'declined', reasonCode: 'collateral' });
      expect(declined.body.actions).to.deep.equal(['confirm_first_loan']);
      const checked = await post(t.officerA, `/api/leads/${id}/first-loan`, { isFirstLoan: true });
      expect(checked.status, checked.text).to.equal(200);
      expect(checked.body).to.include({ firstLoanConfirmed: true });
      expect(checked.body.actions).to.deep.equal([]);
      expectProblem(await post(t.officerA, `/api/leads/${id}/first-loan`, { isFirstLoan: false }), 409, 'invalid_transition');
    });
  });

  describe('POST /api/leads/:id/amend', () => {
    it('GET /api/reports/amendments › after a bank corrects a decision › shows the desk the lead, before, after and the reason; not to banks', async () => {
      await at('2026-03-10T10:00');
      const { leadId: id } = await approved();
      expect((await post(t.officerA, `/api/leads/${id}/amend`, { amount: 900_000, reason: '额度按抵押评估调整' })).status).to.equal(200);
      const res = await get(t.desk, '/api/reports/amendments?from=2026-03-10&to=2026-03-10');
      expect(res.status, res.text).to.equal(200);
      const row = (res.body.items as { leadId: number }[]).find((r) => r.leadId === id);
      expect(row).to.deep.include({
        bankId: bankA, reason: '额度按抵押评估调整', actorId: u.officerA!.id,
        before: { amount: 1_000_000, ratePct: 5.16, termMonths: 12, guaranteeType: 'credit' },
        after: { amount: 900_000, ratePct: 5.16, termMonths: 12, guaranteeType: 'credit' },
      });
      expect(res.body).to.include({ from: '2026-03-10', to: '2026-03-10', page: 1 });
      expect((await get(t.desk, '/api/reports/amendments?from=2026-03-11&to=2026-03-11')).body.items.map((r: { leadId: number }) => r.leadId)).not.to.include(id);
      expect((await get(t.desk, `/api/reports/amendments?from=2026-03-10&to=2026-03-10&bankId=${bankB}`)).body.total).to.equal(0);
      expectProblem(await get(t.officerA, '/api/reports/amendments'), 403);
      expectFieldErrors(await get(t.desk, '/api/reports/amendments?from=2026-02-30'), ['from']);
    });

    it('POST /api/leads/:id/amend › within the window › changes the terms, keeps before and after, queues the change and asks the applicant again', async () => {
      await at('2026-03-03T10:00');
      const { leadId: id, trackingToken } = await approved();
      const track = `/api/applications/track/${trackingToken}`;
      expect((await post(undefined, `${track}/confirm`, { leadId: id, outcome: 'confirmed' })).status).to.equal(200);
      await at('2026-03-04T15:00');
      const res = await post(t.officerA, `/api/leads/${id}/amend`, { ratePct: 4.85, reason: '利率录入有误' });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.terms).to.deep.equal({ amount: 1_000_000, ratePct: 4.85, termMonths: 12, guaranteeType: 'credit' });
      expect(res.body.applicantConfirmation).to.equal(null);
      const ev = (res.body.events as { action: string }[]).find((e) => e.action === 'amended');
      expect(ev).to.deep.include({
        note: '利率录入有误', fromStatus: 'approved', toStatus: 'approved',
        before: { amount: 1_000_000, ratePct: 5.16, termMonths: 12, guaranteeType: 'credit' },
        after: { amount: 1_000_000, ratePct: 4.85, termMonths: 12, guaranteeType: 'credit' },
      });
      const queued = await app.db.select().from(outbox).where(and(eq(outbox.leadId, id), eq(outbox.event, 'amended')));
      expect(queued).to.have.length(1);
      expect((queued[0]!.payload as { lead: { terms: { ratePct: number } } }).lead.terms.ratePct).to.equal(4.85);
      const tracked = (await get(undefined, track)).body.leads.find((l: { id: number }) => l.id === id);
      expect(tracked.terms.ratePct).to.equal(4.85);
      expect(tracked).not.to.have.property('applicantConfirmation');
    });

    it('POST /api/leads/:id/amend › after 2 working days (a weekend not counted) › returns 409 and changes nothing', async () => {
      await at('2026-03-06T16:00'); // Friday
      const { leadId: id } = await approved();
      await at('2026-03-09T17:00'); // Monday: 3 calendar days on, 1 working day
      expect((await post(t.officerA, `/api/leads/${id}/amend`, { amount: 900_000, reason: '按审批书更正' })).status).to.equal(200);
      await at('2026-03-10T16:01'); // Tuesday, past 2 working days
      const res = await post(t.officerA, `/api/leads/${id}/amend`, { ratePct: 4.85, reason: '再次更正' });
      expectProblem(res, 409, 'amend_window_closed');
      expect((await get(t.officerA, `/api/leads/${id}`)).body.actions).not.to.include('amend');
      const row = (await app.db.select().from(leads).where(eq(leads.id, id)))[0]!;
      expect(row).to.include({ termsAmount: 900_000, termsRatePct: '5.16' });
    });

    it('POST /api/leads/:id/amend › when another bank sends it › returns the same 404 as a missing lead', async () => {
      await at('2026-03-03T10:00');
      const { leadId: id } = await approved();
      const body = { ratePct: 4.85, reason: '更正' };
      const missing = await post(t.officerB, '/api/leads/999999/amend', body);
      const res = await post(t.officerB, `/api/leads/${id}/amend`, body);
      expectProblem(res, 404, 'lead_not_found');
      expect(res.body).to.deep.equal(missing.body);
      expect((await app.db.select().from(leads).where(eq(leads.id, id)))[0]!.termsRatePct).to.equal('5.16');
    });

    it('POST /api/leads/:id/amend › when the lead has no granted terms › returns 409', async () => {
      await at('2026-03-03T10:00');
      const { leadId: id } = await contacted();
      expectProblem(await post(t.officerA, `/api/leads/${id}/amend`, { ratePct: 4.85, reason: '更正' }), 409, 'invalid_transition');
      expectProblem(await post(t.desk, `/api/leads/${id}/amend`, { ratePct: 4.85, reason: '更正' }), 403);
    });

    it('POST /api/leads/:id/amend › when the terms break the decision bounds or the reason is missing › returns 400 naming each field', async () => {
      await at('2026-03-03T10:00');
      const { leadId: id } = await approved();
      for (const ratePct of [0, 0.99, 24.01, '']) expectFieldErrors(await post(t.officerA, `/api/leads/${id}/amend`, { ratePct, reason: '更正' }), ['ratePct']);
      expectFieldErrors(await post(t.officerA, `/api/leads/${id}/amend`, { amount: -1, termMonths: 0, reason: '更正' }), ['amount', 'termMonths']);
      expectFieldErrors(await post(t.officerA, `/api/leads/${id}/amend`, { ratePct: 4.85 }), ['reason']);
      expectFieldErrors(await post(t.officerA, `/api/leads/${id}/amend`, { reason: '更正' }), ['body']);
      expectFieldErrors(await post(t.officerA, `/api/leads/${id}/amend`, { amount: 2_000_000, reason: '更正' }), ['amount']);
      const events = await app.db.select().from(leadEvents).where(and(eq(leadEvents.leadId, id), eq(leadEvents.action, 'amended')));
      expect(events).to.have.length(0);
    });

    it('POST /api/leads/:id/amend › when the loan is disbursed › refuses an amount below what was paid out', async () => {
      await at('2026-03-03T10:00');
      const { leadId: id } = await approved();
      expect((await post(t.officerA, `/api/leads/${id}/disburse`, { amount: 800_000, disbursedOn: '2026-03-03' })).status).to.equal(200);
      expectFieldErrors(await post(t.officerA, `/api/leads/${id}/amend`, { amount: 700_000, reason: '更正' }), ['amount']);
      expect((await post(t.officerA, `/api/leads/${id}/amend`, { amount: 800_000, reason: '按实际放款更正' })).body.terms.amount).to.equal(800_000);
    });
  });
});
