import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { notifications } from '../../models/jobs';
import type { UserRow } from '../../models/users';
import { dailyDigest } from '../../server/jobs/daily-digest';
import { slaCheck } from '../../server/jobs/sla-check';
import { jobDeps, startTestApp, TestClock, type TestApp } from '../helpers/app';
import { requestAtBank } from '../helpers/applications';
import { buildBranch, buildLendingBank, buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

describe('notices to the officers who can act on a lead', function () {
  this.timeout(90_000);
  let app: TestApp;
  let bankA: number;
  const u: Record<string, UserRow> = {};

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-03T10:00')) });
    bankA = (await buildLendingBank(app.db)).id;
    const bankB = (await buildLendingBank(app.db)).id;
    const gaoyao = await buildBranch(app.db, bankA, { name: '高要支行', district: '441204' });
    const duanzhou = await buildBranch(app.db, bankA, { name: '端州支行', district: '441202' });
    u.gaoyao = await buildUser(app.db, { role: 'bank_officer', bankId: bankA, branchId: gaoyao.id });
    u.duanzhou = await buildUser(app.db, { role: 'bank_officer', bankId: bankA, branchId: duanzhou.id });
    u.anyBranch = await buildUser(app.db, { role: 'bank_officer', bankId: bankA });
    u.adminA = await buildUser(app.db, { role: 'bank_admin', bankId: bankA });
    u.officerB = await buildUser(app.db, { role: 'bank_officer', bankId: bankB });
    const admin = await tokenFor(app, u.adminA);
    const res = await app.call('PUT', `/api/banks/${bankA}/routing`, { token: admin, body: { rules: [{ district: '441204', branchId: gaoyao.id }] } });
    expect(res.status, res.text).to.equal(200);
  });
  after(() => app.close());

  const told = async (kind: string, leadId: number) => (await app.db.select({ userId: notifications.userId }).from(notifications)
    .where(and(eq(notifications.kind, kind), eq(notifications.leadId, leadId)))).map((n) => n.userId).sort((a, b) => a - b);
  const ids = (...keys: string[]) => keys.map((k) => u[k]!.id).sort((a, b) => a - b);

  it('POST /api/applications › when a lead is routed to a branch › tells that branch\'s officers, the unbranched officers and the admins, nobody else', async () => {
    const { leadId } = await requestAtBank(app, bankA);
    expect(await told('lead_new', leadId)).to.deep.equal(ids('gaoyao', 'anyBranch', 'adminA'));
    const list = await app.call('GET', '/api/notifications', { token: await tokenFor(app, u.gaoyao!) });
    expect(list.body.unread).to.be.greaterThan(0);
    expect(list.body.items[0]).to.deep.include({ kind: 'lead_new', leadId });
  });

  it('sla-check › two working hours before a held lead\'s deadline › warns the officer holding it and the admins', async () => {
    app.clock.set(sh('2026-03-03T10:00'));
    const { leadId } = await requestAtBank(app, bankA);
    const claim = await app.call('POST', `/api/leads/${leadId}/claim`, { token: await tokenFor(app, u.gaoyao!) });
    expect(claim.status, claim.text).to.equal(200);
    // Contact is due 3 working days on: Friday 10:00; warn from 08:00.
    app.clock.set(sh('2026-03-06T08:30'));
    await slaCheck.run(jobDeps(app));
    expect(await told('sla_warning', leadId)).to.deep.equal(ids('gaoyao', 'adminA'));
  });

  it('daily-digest › when a lead is past its deadline › counts it overdue by the same rule as the lead answer', async () => {
    app.clock.set(sh('2026-03-09T10:00'));
    const { leadId } = await requestAtBank(app, bankA);
    app.clock.set(sh('2026-03-11T08:30')); // Wednesday: accepted by Tuesday 10:00, it is late
    const admin = await tokenFor(app, u.adminA!);
    expect((await app.call('GET', `/api/leads/${leadId}`, { token: admin })).body.overdue).to.equal('accept');
    const overdue = (await app.call('GET', '/api/leads?overdue=true&pageSize=100', { token: admin })).body.total as number;
    await dailyDigest.run(jobDeps(app));
    const [digest] = await app.db.select().from(notifications).where(and(eq(notifications.kind, 'daily_digest'), eq(notifications.userId, u.adminA!.id)));
    expect((digest!.message as { zh: string }).zh).to.contain(`已超时 ${overdue} 条`);
  });
});
