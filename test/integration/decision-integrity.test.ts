import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { leads } from '../../models/leads';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { requestAtBank } from '../helpers/applications';
import { expectFieldErrors } from '../helpers/expect';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

const DAY = 86_400_000;

describe('decisions and disbursements that cannot be mistyped', function () {
  this.timeout(90_000);
  let app: TestApp;
  let officer: string;

  before(async () => {
    // 07:30 in Shanghai is still the previous day in UTC: a UTC "today" would be one day off.
    app = await startTestApp({ clock: new TestClock(sh('2026-03-03T07:30')) });
    const bankA = (await buildLendingBank(app.db)).id;
    const user = await buildUser(app.db, { role: 'bank_officer', bankId: bankA });
    signIn = async () => { officer = await tokenFor(app, user); };
    await signIn();
    leadAt = async () => (await requestAtBank(app, bankA)).leadId;
  });
  after(() => app.close());

  let leadAt: () => Promise<number>;
  /** A fresh session on the app's clock (one issued before the clock moved days ahead has expired). */
  let signIn: () => Promise<void>;
  const post = (path: string, body: object = {}) => app.call('POST', path, { token: officer, body });
  const approve = { outcome: 'approved', amount: 800_000, ratePct: 3.45, termMonths: 12, guaranteeType: 'credit' };
  const row = async (id: number) => (await app.db.select().from(leads).where(eq(leads.id, id)))[0]!;

  /** A lead of bank A, claimed and contacted: ready for a decision. */
  async function contacted(): Promise<number> {
    const id = await leadAt();
    expect((await post(`/api/leads/${id}/claim`)).status).to.equal(200);
    expect((await post(`/api/leads/${id}/contact`)).status).to.equal(200);
    return id;
  }

  describe('POST /api/leads/:id/decision', () => {
    const refused: [string, object][] = [
      ['is missing (an empty field the page leaves out)', { ratePct: undefined }],
      ['is an empty string', { ratePct: '' }],
      ['is null', { ratePct: null }],
      ['is 0', { ratePct: 0 }],
      ['is 0.99', { ratePct: 0.99 }],
      ['is 24.01', { ratePct: 24.01 }],
      ['is negative', { ratePct: -3.45 }],
    ];
    for (const [when, change] of refused) {
      it(`POST /api/leads/:id/decision › when an approval's ratePct ${when} › returns 400 on ratePct and stores nothing`, async () => {
        const id = await contacted();
        expectFieldErrors(await post(`/api/leads/${id}/decision`, { ...approve, ...change }), ['ratePct']);
        expect(await row(id)).to.include({ status: 'contacted', termsRatePct: null, termsAmount: null });
      });
    }

    for (const rate of [1, 24]) {
      it(`POST /api/leads/:id/decision › when ratePct is ${rate.toFixed(2)} › approves at that rate`, async () => {
        const id = await contacted();
        const res = await post(`/api/leads/${id}/decision`, { ...approve, ratePct: rate });
        expect(res.status, res.text).to.equal(200);
        expect(res.body.terms).to.deep.equal({ amount: 800_000, ratePct: rate, termMonths: 12, guaranteeType: 'credit' });
      });
    }

    it('POST /api/leads/:id/decision › when amount or termMonths is not a positive integer › returns 400 naming each', async () => {
      const id = await contacted();
      expectFieldErrors(await post(`/api/leads/${id}/decision`, { ...approve, amount: -800_000, termMonths: 0 }), ['amount', 'termMonths']);
      expectFieldErrors(await post(`/api/leads/${id}/decision`, { ...approve, amount: 800_000.5, termMonths: 12.5 }), ['amount', 'termMonths']);
    });
  });

  describe('POST /api/leads/:id/disburse', () => {
    /** A lead approved for 800,000 on the request's day (2026-03-03 in Shanghai). */
    async function approved(): Promise<number> {
      app.clock.set(sh('2026-03-03T07:30'));
      await signIn();
      const id = await contacted();
      expect((await post(`/api/leads/${id}/decision`, approve)).status).to.equal(200);
      return id;
    }

    it('POST /api/leads/:id/disburse › when disbursedOn is before the request\'s day › returns 400 on disbursedOn', async () => {
      const id = await approved();
      expectFieldErrors(await post(`/api/leads/${id}/disburse`, { amount: 800_000, disbursedOn: '2026-03-02' }), ['disbursedOn']);
      expect((await row(id)).status).to.equal('approved');
    });

    it('POST /api/leads/:id/disburse › when disbursedOn is after today in Shanghai › returns 400 on disbursedOn', async () => {
      const id = await approved();
      app.clock.advance(2 * DAY); // 2026-03-05 07:30 in Shanghai, 2026-03-04 in UTC
      await signIn();
      expectFieldErrors(await post(`/api/leads/${id}/disburse`, { amount: 800_000, disbursedOn: '2026-03-06' }), ['disbursedOn']);
      expectFieldErrors(await post(`/api/leads/${id}/disburse`, { amount: 800_000, disbursedOn: '2099-01-01' }), ['disbursedOn']);
      const res = await post(`/api/leads/${id}/disburse`, { amount: 800_000, disbursedOn: '2026-03-05' });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.disbursement).to.deep.equal({ amount: 800_000, disbursedOn: '2026-03-05' });
    });

    it('POST /api/leads/:id/disburse › when disbursedOn is the request\'s own day › disburses', async () => {
      const id = await approved();
      expect((await post(`/api/leads/${id}/disburse`, { amount: 500_000, disbursedOn: '2026-03-03' })).status).to.equal(200);
    });

    it('POST /api/leads/:id/disburse › when the amount is above the approved amount › returns 400 on amount', async () => {
      const id = await approved();
      expectFieldErrors(await post(`/api/leads/${id}/disburse`, { amount: 800_001, disbursedOn: '2026-03-03' }), ['amount']);
      expect(await row(id)).to.include({ status: 'approved', disbursedAmount: null });
      expect((await post(`/api/leads/${id}/disburse`, { amount: 800_000, disbursedOn: '2026-03-03' })).status).to.equal(200);
    });
  });
});
