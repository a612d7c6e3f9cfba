import { expect } from 'chai';
import type { UserRow } from '../../models/users';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { hardwareMaker, requestAtBank } from '../helpers/applications';
import { expectFieldErrors } from '../helpers/expect';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

describe('the queues a loan officer works from', function () {
  this.timeout(120_000);
  let app: TestApp;
  let bankA: number;
  let bankB: number;
  const u: Record<string, UserRow> = {};
  const t: Record<string, string> = {};
  const made: Record<string, { leadId: number; uscc: string }> = {};

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-02T09:00')) });
    bankA = (await buildLendingBank(app.db)).id;
    bankB = (await buildLendingBank(app.db)).id;
    u.officerA = await buildUser(app.db, { role: 'bank_officer', bankId: bankA });
    u.officerA2 = await buildUser(app.db, { role: 'bank_officer', bankId: bankA });
    u.officerB = await buildUser(app.db, { role: 'bank_officer', bankId: bankB });
    // Monday 09:00 (due Tuesday 09:00, late by Tuesday 10:00), then Tuesday 09:30 and 09:10.
    const make = async (key: string, local: string, company: Record<string, unknown>, bank = bankA) => {
      app.clock.set(sh(local));
      const c = hardwareMaker(company);
      made[key] = { leadId: (await requestAtBank(app, bank, { company: c })).leadId, uscc: c.uscc as string };
    };
    await make('late', '2026-03-02T09:00', { name: '高要区迟到五金厂' });
    await make('later', '2026-03-03T09:30', { name: '端州区星光灯饰有限公司', district: '441202', hasBankLoan: true });
    await make('soon', '2026-03-03T09:10', { name: '四会市玉器加工厂', district: '441284' });
    await make('otherBank', '2026-03-03T09:05', { name: '建行的客户' }, bankB);
    app.clock.set(sh('2026-03-03T10:00'));
    for (const [k, v] of Object.entries(u)) t[k] = await tokenFor(app, v);
  });
  after(() => app.close());

  const list = async (token: string | undefined, query: string) => {
    const res = await app.call('GET', `/api/leads?${query}`, { token });
    expect(res.status, res.text).to.equal(200);
    return res.body as { items: { id: number; overdue: string | null }[]; total: number; counts: { mine: number; claimable: number; all: number } };
  };
  const ids = (b: { items: { id: number }[] }) => b.items.map((i) => i.id);

  it('GET /api/leads › when view=claimable › lists the leads waiting for acceptance by deadline, the late one first, with counts', async () => {
    const b = await list(t.officerA, 'view=claimable');
    expect(ids(b)).to.deep.equal([made.late!.leadId, made.soon!.leadId, made.later!.leadId]);
    expect(b.items[0]!.overdue).to.equal('accept');
    expect(b.counts).to.deep.equal({ mine: 0, claimable: 3, all: 3 });
  });

  it('GET /api/leads › right after a claim › moves the lead from 待受理 to 我的 in the counts', async () => {
    const claimed = await app.call('POST', `/api/leads/${made.soon!.leadId}/claim`, { token: t.officerA });
    expect(claimed.status, claimed.text).to.equal(200);
    const mine = await list(t.officerA, 'view=mine');
    expect(ids(mine)).to.deep.equal([made.soon!.leadId]);
    expect(mine.counts).to.deep.equal({ mine: 1, claimable: 2, all: 3 });
    // Another officer of the bank no longer sees it as claimable: someone holds it.
    expect((await list(t.officerA2, 'view=claimable')).counts).to.deep.equal({ mine: 0, claimable: 2, all: 3 });
  });

  it('GET /api/leads › when view=all › sorts what is owed by its deadline and finished leads last', async () => {
    const b = await list(t.officerA, 'view=all');
    expect(ids(b)).to.deep.equal([made.late!.leadId, made.later!.leadId, made.soon!.leadId]);
  });

  it('GET /api/leads › with a search, a district, first-loan, overdue, product or status filter › answers only the matching leads', async () => {
    expect(ids(await list(t.officerA, `view=all&q=${encodeURIComponent('星光')}`))).to.deep.equal([made.later!.leadId]);
    expect(ids(await list(t.officerA, `view=all&q=${made.late!.uscc.toLowerCase()}`))).to.deep.equal([made.late!.leadId]);
    expect(ids(await list(t.officerA, 'view=all&q=%25'))).to.deep.equal([]);
    expect(ids(await list(t.officerA, 'view=all&district=441284'))).to.deep.equal([made.soon!.leadId]);
    expect(ids(await list(t.officerA, 'view=all&firstLoan=false'))).to.deep.equal([made.later!.leadId]);
    expect(ids(await list(t.officerA, 'view=all&overdue=true'))).to.deep.equal([made.late!.leadId]);
    expect(ids(await list(t.officerA, 'view=all&status=claimed'))).to.deep.equal([made.soon!.leadId]);
    const { productId } = (await app.call('GET', `/api/leads/${made.later!.leadId}`, { token: t.officerA })).body;
    expect(ids(await list(t.officerA, `view=all&productId=${productId}`))).to.include(made.later!.leadId);
  });

  it('GET /api/leads › with paging › answers one page and the whole total', async () => {
    const p2 = await list(t.officerA, 'view=all&pageSize=1&page=2');
    expect(ids(p2)).to.deep.equal([made.later!.leadId]);
    expect(p2.total).to.equal(3);
  });

  it('GET /api/leads › for another bank\'s officer › neither lists nor counts this bank\'s leads', async () => {
    const b = await list(t.officerB, `view=all&q=${made.late!.uscc}`);
    expect(b.items).to.deep.equal([]);
    expect((await list(t.officerB, 'view=all')).counts).to.deep.equal({ mine: 0, claimable: 1, all: 1 });
  });

  it('GET /api/leads › when a filter is malformed › returns 400 naming it', async () => {
    const res = await app.call('GET', '/api/leads?view=everything&district=12&firstLoan=maybe', { token: t.officerA });
    expectFieldErrors(res, ['view', 'district', 'firstLoan']);
  });
});
