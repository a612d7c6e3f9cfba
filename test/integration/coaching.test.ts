import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../models/audit';
import { leads } from '../../models/leads';
import { notifications } from '../../models/jobs';
import { smsMessages } from '../../models/sms';
import { markCoachingReady } from '../../server/coaching';
import { insertWatch } from '../../models/watches';
import { rematchWatches } from '../../server/watches/rematch';
import { coachingCheck } from '../../server/jobs/coaching-check';
import { createLogger } from '../../server/logger';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { hardwareMaker, need, uscc } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBank, buildUser, tokenFor } from '../helpers/factories';
import { productBody } from '../helpers/products';
import { sh } from '../helpers/time';

type Tokens = Record<'desk' | 'otherDesk' | 'officer' | 'bankAdmin' | 'admin', string>;

describe('coaching cases (信用辅导)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let users: Record<keyof Tokens, Awaited<ReturnType<typeof buildUser>>>;
  const t = {} as Tokens;
  let product: { id: number; bankId: number };
  let deskUserId: number;
  const logger = createLogger('silent');
  const runJob = () => coachingCheck.run({ db: app.db, clock: app.clock, logger, config: app.config });
  /** Sessions are short-lived and the clock jumps months: sign in again at the new time. */
  async function at(local: string) {
    app.clock.set(sh(local));
    for (const [k, u] of Object.entries(users)) t[k as keyof Tokens] = await tokenFor(app, u);
  }
  // Established 2023-05-10: 2 years 10 months on 2 March 2026, 3 years on 10 May 2026.
  const company = (over: Record<string, unknown> = {}) => hardwareMaker({ establishedOn: '2023-05-10', ...over });
  async function nearMiss(c: Record<string, unknown>) {
    const res = await app.call('POST', '/api/match', { body: { company: c, need, limit: 1000 } });
    return (res.body.results as { product: { id: number }; eligible: boolean; reasons: { criterion: string; status: string; hint?: { zh: string } }[] }[]).find((r) => r.product.id === product.id)!;
  }
  async function openFor(c: Record<string, unknown>, over: Record<string, unknown> = {}) {
    const miss = await nearMiss(c);
    const gaps = miss.reasons.filter((r) => r.status === 'fail').map((r) => ({ criterion: r.criterion, hint: r.hint?.zh ?? '', plan: '持续经营满3年后申请', dueOn: '2026-05-31' }));
    const res = await app.call('POST', '/api/coaching', { token: t.desk, body: { uscc: c.uscc, companyName: c.name, phone: '13800138000', targetProductIds: [product.id], gaps, company: c, need, ...over } });
    expect(res.status, res.text).to.equal(201);
    return res.body;
  }

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-02T09:00')) });
    const bank = await buildBank(app.db);
    users = {
      desk: await buildUser(app.db, { role: 'desk' }), otherDesk: await buildUser(app.db, { role: 'desk' }),
      officer: await buildUser(app.db, { role: 'bank_officer', bankId: bank.id }), bankAdmin: await buildUser(app.db, { role: 'bank_admin', bankId: bank.id }),
      admin: await buildUser(app.db, { role: 'admin' }),
    };
    deskUserId = users.desk.id;
    await at('2026-03-02T09:00');
    const draft = await app.call('POST', '/api/products', { token: t.bankAdmin, body: productBody({ criteria: { minYearsInOperation: 3 }, amount: { min: 100_000, max: 5_000_000 } }) });
    expect(draft.status, draft.text).to.equal(201);
    expect((await app.call('POST', `/api/products/${draft.body.id}/publish`, { token: t.desk, body: { expectedUpdatedAt: draft.body.updatedAt } })).status).to.equal(200);
    product = { id: draft.body.id, bankId: bank.id };
  });
  after(() => app.close());

  it('POST /api/coaching › when the desk opens a case from a near miss › returns 201 open with the failed criterion as its gap, audited', async () => {
    const c = company();
    const miss = await nearMiss(c);
    expect(miss.eligible).to.equal(false);
    const body = await openFor(c);
    expect(body).to.include({ status: 'open', uscc: c.uscc, phone: '138****8000', watching: true });
    expect(body.actions).to.have.members(['ready', 'applied', 'closed']);
    expect(body.gaps).to.have.length(1);
    expect(body.gaps[0]).to.include({ criterion: 'minYearsInOperation', dueOn: '2026-05-31', done: false });
    expect(body.gaps[0].hint).to.be.a('string').and.not.equal('');
    const audit = await app.db.select().from(auditLog).where(and(eq(auditLog.action, 'coaching.open'), eq(auditLog.entityId, String(body.id))));
    expect(audit).to.have.length(1);
  });

  it('POST /api/coaching › when fields are wrong › returns 400 naming each', async () => {
    const res = await app.call('POST', '/api/coaching', { token: t.desk, body: { uscc: 'X', companyName: '', targetProductIds: [], gaps: [{ criterion: 'a', plan: '', dueOn: '2026-02-30' }], company: hardwareMaker() } });
    expectFieldErrors(res, ['uscc', 'companyName', 'targetProductIds', 'gaps.0.plan', 'gaps.0.dueOn', 'body']);
    const past = await app.call('POST', '/api/coaching', { token: t.desk, body: { uscc: uscc(), companyName: '某公司', targetProductIds: [product.id], gaps: [{ criterion: 'a', plan: 'b', dueOn: '2026-03-01' }] } });
    expectFieldErrors(past, ['gaps.0.dueOn']);
    const unknown = await app.call('POST', '/api/coaching', { token: t.desk, body: { uscc: uscc(), companyName: '某公司', targetProductIds: [product.id, 999999], gaps: [{ criterion: 'a', plan: 'b', dueOn: '2026-04-01' }] } });
    expectFieldErrors(unknown, ['targetProductIds.1']);
  });

  it('POST /api/coaching › when a bank user or an admin opens one › returns 403; GET by a bank user 403', async () => {
    const body = { uscc: uscc(), companyName: '某公司', targetProductIds: [product.id], gaps: [{ criterion: 'a', plan: 'b', dueOn: '2026-04-01' }] };
    for (const token of [t.officer, t.bankAdmin, t.admin]) expectProblem(await app.call('POST', '/api/coaching', { token, body }), 403, 'forbidden');
    for (const token of [t.officer, t.bankAdmin]) {
      expectProblem(await app.call('GET', '/api/coaching', { token }), 403, 'forbidden');
      expectProblem(await app.call('GET', '/api/coaching/report', { token }), 403, 'forbidden');
    }
  });

  it('GET /api/coaching › when another desk user reads › sees the cases, filtered by status and due', async () => {
    const c = company();
    const made = await openFor(c, { gaps: [{ criterion: 'minYearsInOperation', plan: '尽快', dueOn: '2026-03-04' }] });
    const all = await app.call('GET', '/api/coaching?status=open', { token: t.otherDesk });
    expect(all.status).to.equal(200);
    expect(all.body.items.map((i: { id: number }) => i.id)).to.include(made.id);
    const due = await app.call('GET', '/api/coaching?due=2026-03-05', { token: t.otherDesk });
    expect(due.body.items.map((i: { id: number }) => i.id)).to.deep.equal([made.id]);
    expectFieldErrors(await app.call('GET', '/api/coaching?status=asleep&due=2026-13-01', { token: t.desk }), ['status', 'due']);
    expectProblem(await app.call('GET', '/api/coaching/999999', { token: t.desk }), 404, 'coaching_case_not_found');
  });

  it('coaching-check › when a gap falls due within 3 days › reminds the desk once', async () => {
    const before = await app.db.select().from(notifications).where(and(eq(notifications.userId, deskUserId), eq(notifications.kind, 'coaching_due')));
    const first = await runJob();
    expect(first.reminded).to.equal(1);
    const second = await runJob();
    expect(second.reminded).to.equal(0);
    const after = await app.db.select().from(notifications).where(and(eq(notifications.userId, deskUserId), eq(notifications.kind, 'coaching_due')));
    expect(after.length - before.length).to.equal(1);
    expect((after.at(-1)!.message as { zh: string }).zh).to.include('尽快');
    expect(await app.db.select().from(smsMessages).where(eq(smsMessages.template, 'coaching')), 'that company did not opt in to texts').to.deep.equal([]);
  });

  it('coaching-check › when a gap of a company that opted in to texts falls due › texts it once as well', async () => {
    const dueOn = new Date(app.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    await openFor(company(), { phone: '13900139000', smsOptIn: true, gaps: [{ criterion: 'minYearsInOperation', plan: '补齐近两年纳税记录', dueOn }] });
    await runJob();
    await runJob();
    const texts = await app.db.select().from(smsMessages).where(eq(smsMessages.template, 'coaching'));
    expect(texts.map((m) => m.phone)).to.deep.equal(['13900139000']);
    expect(texts[0]!.text).to.contain('补齐近两年纳税记录').and.contain(dueOn);
  });

  it('PATCH /api/coaching/:id › when a move is not in the table › returns 409 with the current status and the allowed moves', async () => {
    const made = await openFor(company());
    const res = await app.call('PATCH', `/api/coaching/${made.id}`, { token: t.desk, body: { status: 'financed' } });
    expectProblem(res, 409, 'coaching_move_not_allowed');
    expect(res.body).to.deep.include({ currentStatus: 'open', allowed: ['ready', 'applied', 'closed'] });
    expectFieldErrors(await app.call('PATCH', `/api/coaching/${made.id}`, { token: t.desk, body: {} }), ['body']);
    expectFieldErrors(await app.call('PATCH', `/api/coaching/${made.id}`, { token: t.desk, body: { gaps: [{ id: 999999, done: true }] } }), ['gaps.0.id']);
    expectProblem(await app.call('PATCH', `/api/coaching/${made.id}`, { token: t.otherDesk.slice(0, -2) + 'xx', body: { status: 'closed' } }), 401);
    expectProblem(await app.call('PATCH', `/api/coaching/${made.id}`, { token: t.bankAdmin, body: { status: 'closed' } }), 403, 'forbidden');
    const closed = await app.call('PATCH', `/api/coaching/${made.id}`, { token: t.otherDesk, body: { status: 'closed', note: '企业放弃' } });
    expect(closed.body).to.include({ status: 'closed', note: '企业放弃' });
    expect(closed.body.closedAt).to.be.a('string');
  });

  it('markCoachingReady › when a watch on the company finds a target product eligible › turns the case ready and tells the desk', async () => {
    const c = company();
    const made = await openFor(c);
    const turned = await app.db.transaction((tx) => markCoachingReady(tx, String(c.uscc), [product.id], app.clock.now()));
    expect(turned).to.equal(1);
    const res = await app.call('GET', `/api/coaching/${made.id}`, { token: t.desk });
    expect(res.body.status).to.equal('ready');
  });

  it('watch-rematch › when the company\'s own watch finds a target product eligible › turns the case ready', async () => {
    const c = company();
    const made = await openFor(c);
    // The company's watch (issue 19) holds the profile it declared since: founded earlier than the desk noted.
    await insertWatch(app.db, {
      token: `w${made.id}xxxxxxxxxxxxxxxxxxxxxxxx`, phone: '13800138000', company: { ...c, establishedOn: '2020-01-01' }, need,
      consentVersion: 'test', createdAt: app.clock.now(), expiresAt: new Date(app.clock.now().getTime() + 180 * 86_400_000),
    });
    await rematchWatches({ db: app.db, clock: app.clock, logger, config: app.config });
    const res = await app.call('GET', `/api/coaching/${made.id}`, { token: t.desk });
    expect(res.body.status).to.equal('ready');
  });

  describe('a case that follows its company to a loan', () => {
    let caseId: number;
    let c: Record<string, unknown>;

    it('coaching-check › when time makes the target product eligible (the case\'s watch) › turns the case ready and tells the desk', async () => {
      c = company();
      caseId = (await openFor(c)).id;
      expect((await runJob()).ready).to.equal(0);
      await at('2026-05-11T09:00');
      const ran = await runJob();
      expect(ran.ready).to.be.at.least(1);
      const res = await app.call('GET', `/api/coaching/${caseId}`, { token: t.desk });
      expect(res.body.status).to.equal('ready');
      const told = await app.db.select().from(notifications).where(and(eq(notifications.userId, deskUserId), eq(notifications.kind, 'coaching_ready')));
      expect(told.some((n) => (n.message as { zh: string }).zh.includes(String(c.name)))).to.equal(true);
    });

    it('PATCH /api/coaching/:id › when linked to another company\'s request › returns 400 on applicationId', async () => {
      const other = await app.call('POST', '/api/applications', { body: appBody(hardwareMaker({ establishedOn: '2015-01-01' })) });
      expect(other.status, other.text).to.equal(201);
      expectFieldErrors(await app.call('PATCH', `/api/coaching/${caseId}`, { token: t.desk, body: { applicationId: other.body.id } }), ['applicationId']);
    });

    it('coaching-check › when the company applies and its lead is disbursed › links the request (applied) then financed', async () => {
      const sent = await app.call('POST', '/api/applications', { body: appBody(c) });
      expect(sent.status, sent.text).to.equal(201);
      expect((await runJob()).applied).to.be.at.least(1);
      let res = await app.call('GET', `/api/coaching/${caseId}`, { token: t.desk });
      expect(res.body).to.include({ status: 'applied', applicationId: sent.body.id });
      // Arrange: the bank disbursed on 20 May 2026 15:00 Shanghai (the lead workflow has its own tests).
      await app.db.update(leads).set({ status: 'disbursed', disbursedAt: sh('2026-05-20T15:00') }).where(eq(leads.applicationId, sent.body.id));
      expect((await runJob()).financed).to.equal(1);
      res = await app.call('GET', `/api/coaching/${caseId}`, { token: t.desk });
      expect(res.body.status).to.equal('financed');
      expect(res.body.financedAt).to.equal(sh('2026-05-20T15:00').toISOString());
      expect(res.body.actions).to.deep.equal([]);
    });

    it('GET /api/coaching/report › counted by hand › answers the coached companies financed and the days it took', async () => {
      // Opened 2 March 09:00, financed 20 May 15:00 Shanghai: 29 (March) + 30 (April) + 19 days, and 6 hours → 79 whole days.
      const res = await app.call('GET', '/api/coaching/report?from=2026-03-01&to=2026-05-31', { token: t.otherDesk });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ from: '2026-03-01', to: '2026-05-31', financed: 1, medianDays: 79 });
      expect(res.body.items).to.deep.equal([{ id: caseId, uscc: c.uscc, companyName: c.name, openedAt: sh('2026-03-02T09:00').toISOString(), financedAt: sh('2026-05-20T15:00').toISOString(), days: 79 }]);
      // Cases opened in the range: the seven cases of this file, all on 2 March.
      expect(res.body.opened).to.equal(7);
      const april = await app.call('GET', '/api/coaching/report?from=2026-04-01&to=2026-04-30', { token: t.desk });
      expect(april.body).to.include({ financed: 0, opened: 0, medianDays: null });
      expectFieldErrors(await app.call('GET', '/api/coaching/report?from=2026-05-01&to=2026-04-01', { token: t.desk }), ['from']);
    });
  });

  function appBody(c: Record<string, unknown>) {
    return { company: c, contact: { name: '梁伟', phone: '13812345678' }, need, mode: 'chosen', productIds: [product.id], consent: { version: consentVersion, banks: [product.bankId] } };
  }
  let consentVersion = '';
  before(async () => {
    consentVersion = (await app.call('GET', '/api/applications/consent')).body.version;
  });
});
