import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { leadEvents, leads } from '../../models/leads';
import { startTestApp, type TestApp } from '../helpers/app';
import { chosenBody, eligibleFor, hardwareMaker, need } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';

/** A company eligible at many banks: A-rated, established, with real estate and a guarantor. */
const strongCompany = () => hardwareMaker({ district: '441202', taxRating: 'A', establishedOn: '2015-03-01', annualRevenue: 30_000_000, collateral: ['real_estate', 'receivables'], guaranteeAvailable: true });

describe('following a request', function () {
  this.timeout(90_000);
  let app: TestApp;
  const lenders: number[] = [];

  before(async () => {
    app = await startTestApp();
    // An open request needs more than ten banks the company qualifies at (ten claim, one is not asked).
    for (let i = 0; i < 12; i++) lenders.push((await buildLendingBank(app.db)).id);
  });
  after(() => app.close());

  async function submitted(opts: Parameters<typeof chosenBody>[1] = {}) {
    const res = await app.call('POST', '/api/applications', { body: await chosenBody(app, opts) });
    expect(res.status, res.text).to.equal(201);
    return res.body as { id: number; trackingToken: string; leads: { id: number; bankId: number }[] };
  }
  const track = (token: string) => app.call('GET', `/api/applications/track/${token}`);

  describe('GET /api/applications/track/:token', () => {
    it('shows each lead with its bank and status, and the contact masked', async () => {
      const s = await submitted();
      const res = await track(s.trackingToken);
      expect(res.status).to.equal(200);
      expect(res.headers.get('cache-control')).to.equal('no-store');
      expect(res.body.contact).to.deep.equal({ name: '梁*', phone: '138****5678' });
      expect(res.text).not.to.contain('13812345678');
      expect(res.body.leads.map((l: { id: number }) => l.id)).to.deep.equal(s.leads.map((l) => l.id));
      for (const l of res.body.leads) expect(l).to.include({ status: 'new' }).and.to.include.keys('bankName', 'productName');
      expect(res.body).to.include({ status: 'open', canWithdraw: true, canSecondLook: false });
    });

    it('is 404 for an unknown token and 400 for one of the wrong shape', async () => {
      expectProblem(await track('A'.repeat(32)), 404, 'application_not_found');
      expectFieldErrors(await track('short'), ['token']);
    });
  });

  describe('withdrawing', () => {
    it('withdraws every lead still being worked, with an event each, and cannot be done twice', async () => {
      const s = await submitted();
      const res = await app.call('POST', `/api/applications/track/${s.trackingToken}/withdraw`, { body: { reason: '已从其他渠道获得贷款' } });
      expect(res.status).to.equal(200);
      expect(res.body.status).to.equal('withdrawn');
      expect(res.body.leads.map((l: { status: string }) => l.status)).to.deep.equal(['withdrawn', 'withdrawn']);
      const events = await app.db.select().from(leadEvents).where(eq(leadEvents.leadId, s.leads[0]!.id));
      expect(events.map((e) => `${e.action}:${e.fromStatus}>${e.toStatus}`)).to.deep.equal(['created:null>new', 'withdrawn:new>withdrawn']);
      expectProblem(await app.call('POST', `/api/applications/track/${s.trackingToken}/withdraw`, { body: {} }), 409, 'invalid_status');
    });
  });

  describe('a second look after a decline', () => {
    it('sends the request to another eligible bank with fresh consent, once a bank has declined', async () => {
      const company = hardwareMaker();
      const s = await submitted({ company, count: 1 });
      const consent = (await app.call('GET', '/api/applications/consent')).body;
      const others = (await eligibleFor(app, company)).filter((p) => p.bankId !== s.leads[0]!.bankId);
      const next = others[0]!;
      const early = await app.call('POST', `/api/applications/track/${s.trackingToken}/second-look`, { body: { productId: next.id, consent: { version: consent.version, banks: [next.bankId] } } });
      expectProblem(early, 409, 'second_look_unavailable');

      await app.db.update(leads).set({ status: 'declined', declineReason: 'collateral', decidedAt: new Date() }).where(eq(leads.id, s.leads[0]!.id));
      expectProblem(await app.call('POST', `/api/applications/track/${s.trackingToken}/second-look`, { body: { productId: next.id, consent: { version: consent.version, banks: [] } } }), 400);
      expectProblem(await app.call('POST', `/api/applications/track/${s.trackingToken}/second-look`, { body: { productId: next.id, consent: { version: consent.version, banks: [s.leads[0]!.bankId] } } }), 422, 'consent_missing');
      const ok = await app.call('POST', `/api/applications/track/${s.trackingToken}/second-look`, { body: { productId: next.id, consent: { version: consent.version, banks: [next.bankId] } } });
      expect(ok.status, ok.text).to.equal(201);
      const added = ok.body.leads.find((l: { bankId: number }) => l.bankId === next.bankId);
      expect(added).to.include({ status: 'new', secondLook: true });
      const again = await app.call('POST', `/api/applications/track/${s.trackingToken}/second-look`, { body: { productId: next.id, consent: { version: consent.version, banks: [next.bankId] } } });
      expectProblem(again, 409, 'bank_already_asked');
    });
  });

  describe('confirming the terms a bank reported', () => {
    it('records the applicant\'s confirmation or dispute of granted terms, and refuses it before a decision', async () => {
      const s = await submitted({ count: 1 });
      const leadId = s.leads[0]!.id;
      expectProblem(await app.call('POST', `/api/applications/track/${s.trackingToken}/confirm`, { body: { leadId, outcome: 'confirmed' } }), 409, 'invalid_status');
      await app.db.update(leads).set({ status: 'approved', termsAmount: 4_000_000, termsRatePct: '5.16', termsMonths: 12, termsGuaranteeType: 'credit', decidedAt: new Date() }).where(eq(leads.id, leadId));
      const res = await app.call('POST', `/api/applications/track/${s.trackingToken}/confirm`, { body: { leadId, outcome: 'disputed', note: '实际利率为5.5%' } });
      expect(res.status).to.equal(200);
      expect(res.body.leads[0]).to.deep.include({ applicantConfirmation: 'disputed', applicantNote: '实际利率为5.5%', terms: { amount: 4_000_000, ratePct: 5.16, termMonths: 12, guaranteeType: 'credit' } });
      expectProblem(await app.call('POST', `/api/applications/track/${s.trackingToken}/confirm`, { body: { leadId: 999999, outcome: 'confirmed' } }), 404, 'lead_not_found');
    });
  });

  describe('an open request (抢单)', () => {
    it('goes unclaimed to every eligible consenting bank; of 10 banks claiming at once exactly 3 win; the applicant sees which', async () => {
      const company = strongCompany();
      const consent = (await app.call('GET', '/api/applications/consent')).body;
      const banks = [...new Set((await eligibleFor(app, company)).map((p) => p.bankId))];
      expect(banks.length).to.be.at.least(11);
      const notAsked = banks.pop()!;
      const res = await app.call('POST', '/api/applications', { body: { company, contact: { name: '梁伟', phone: '13812345678' }, need, mode: 'open', consent: { version: consent.version, banks } } });
      expect(res.status, res.text).to.equal(201);
      expect(res.body.leads.map((l: { bankId: number }) => l.bankId).sort()).to.deep.equal([...banks].sort());
      expect(res.body.leads.map((l: { bankId: number }) => l.bankId)).not.to.include(notAsked);

      const claimers = await Promise.all(res.body.leads.slice(0, 10).map(async (l: { id: number; bankId: number }) => ({
        leadId: l.id, token: await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: l.bankId })),
      })));
      const answers = await Promise.all(claimers.map((c) => app.call('POST', `/api/leads/${c.leadId}/claim`, { token: c.token })));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).to.deep.equal([200, 200, 200, 409, 409, 409, 409, 409, 409, 409]);
      for (const lost of answers.filter((a) => a.status === 409)) expect(lost.body.code).to.be.oneOf(['claims_full', 'invalid_transition']);

      const tracked = await track(res.body.trackingToken);
      const byStatus = (s: string) => tracked.body.leads.filter((l: { status: string }) => l.status === s);
      expect(byStatus('claimed')).to.have.length(3);
      expect(byStatus('new')).to.have.length(0);
      expect(byStatus('expired')).to.have.length(banks.length - 3);
      for (const l of byStatus('claimed')) expect(l.bankName).to.be.a('string');
    });

    it('refuses a bank the lead of another bank (404) and a second claim (409)', async () => {
      const s = await submitted({ count: 1 });
      const lead = s.leads[0]!;
      const outsider = await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: lenders.find((b) => b !== lead.bankId)! }));
      const missing = await app.call('POST', '/api/leads/999999/claim', { token: outsider });
      const foreign = await app.call('POST', `/api/leads/${lead.id}/claim`, { token: outsider });
      expectProblem(foreign, 404, 'lead_not_found');
      expect(foreign.body).to.deep.equal(missing.body);
      const insider = await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: lead.bankId }));
      expect((await app.call('POST', `/api/leads/${lead.id}/claim`, { token: insider })).status).to.equal(200);
      const twice = await app.call('POST', `/api/leads/${lead.id}/claim`, { token: insider });
      expectProblem(twice, 409, 'invalid_transition');
      expect(twice.body.currentStatus).to.equal('claimed');
      const [row] = await app.db.select().from(leads).where(and(eq(leads.id, lead.id)));
      expect(row!.status).to.equal('claimed');
    });
  });
});
