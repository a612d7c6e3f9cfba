import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { applications } from '../../models/applications';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { hardwareMaker, requestAtBank } from '../helpers/applications';
import { expectFieldErrors } from '../helpers/expect';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

describe('the desk\'s list of possible brokers', function () {
  this.timeout(60_000);
  let app: TestApp;
  let bankA: number;
  let flaggedLead: number;
  let plainLead: number;

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-02T10:00')) });
    bankA = (await buildLendingBank(app.db)).id;
    const flagged = await requestAtBank(app, bankA, { phone: '13900000001' });
    const plain = await requestAtBank(app, bankA, { phone: '13900000002', company: hardwareMaker({ name: '肇庆市高要区另一家五金有限公司' }) });
    flaggedLead = flagged.leadId;
    plainLead = plain.leadId;
    await app.db.update(applications).set({ flaggedBroker: true, flagReason: 'test' }).where(eq(applications.trackingToken, flagged.trackingToken));
  });
  after(() => app.close());

  it('lists only flagged requests for the desk, and the unflagged ones on request', async () => {
    const desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    const only = (await app.call('GET', '/api/leads?flagged=true', { token: desk })).body;
    expect(only.items.map((l: { id: number }) => l.id)).to.deep.equal([flaggedLead]);
    expect(only.total).to.equal(1);
    expect(only.items[0].flaggedBroker).to.equal(true);
    const rest = (await app.call('GET', '/api/leads?flagged=false', { token: desk })).body;
    expect(rest.items.map((l: { id: number }) => l.id)).to.deep.equal([plainLead]);
  });

  it('GET /api/leads?flagged=true › when another phone applied for a company and product already open › lists the second contact with its reason to the desk only', async () => {
    const company = hardwareMaker({ name: '肇庆市鼎湖区被抢注五金有限公司' });
    const first = await requestAtBank(app, bankA, { company, phone: '13900000011' });
    const second = await requestAtBank(app, bankA, { company, phone: '13900000012' });
    const desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    const only = (await app.call('GET', '/api/leads?flagged=true&pageSize=200', { token: desk })).body;
    const listed = only.items.find((l: { id: number }) => l.id === second.leadId);
    expect(listed).to.include({ secondContact: true, flaggedBroker: false });
    expect(listed.flagReason).to.contain('second contact');
    expect(only.items.map((l: { id: number }) => l.id)).not.to.include(first.leadId);
    const rest = (await app.call('GET', '/api/leads?flagged=false&pageSize=200', { token: desk })).body;
    expect(rest.items.map((l: { id: number }) => l.id)).to.include(first.leadId).and.not.to.include(second.leadId);
    expect((await app.call('GET', `/api/leads/${second.leadId}`, { token: desk })).body).to.include({ secondContact: true });

    for (const role of ['bank_admin', 'bank_officer'] as const) {
      const token = await tokenFor(app, await buildUser(app.db, { role, bankId: bankA }));
      const seen = [
        await app.call('GET', `/api/leads/${second.leadId}`, { token }),
        await app.call('GET', '/api/leads?pageSize=200', { token }),
        await app.call('GET', '/api/leads?since=0&pageSize=200', { token }),
      ];
      for (const res of seen) {
        expect(res.status, res.text).to.equal(200);
        expect(res.text).not.to.match(/secondContact|second contact|flagReason|flaggedBroker/);
      }
    }
  });

  it('refuses the flag filter to bank users, so a bank cannot learn which of its applicants were flagged', async () => {
    for (const role of ['bank_admin', 'bank_officer'] as const) {
      const token = await tokenFor(app, await buildUser(app.db, { role, bankId: bankA }));
      expectFieldErrors(await app.call('GET', '/api/leads?flagged=true', { token }), ['flagged']);
      const all = (await app.call('GET', '/api/leads', { token })).body;
      expect(all.items.every((l: object) => !('flaggedBroker' in l))).to.equal(true);
    }
  });
});
