import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { leads } from '../../models/leads';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { sh } from '../helpers/time';
import { requestAtBank } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';

describe('SLA deadlines and response times', function () {
  this.timeout(60_000);
  let app: TestApp;
  let bankA: number;
  const t: Record<string, string> = {};

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-02-13T09:00')) });
    bankA = (await buildLendingBank(app.db)).id;
  });
  after(() => app.close());

  async function tokens() {
    t.desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    t.officerA = await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: bankA }));
    t.adminA = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: bankA }));
  }

  const leadAtA = async () => (await requestAtBank(app, bankA)).leadId;
  const row = async (id: number) => (await app.db.select().from(leads).where(eq(leads.id, id)))[0]!;

  it('stamps 1-3-5 deadlines on the working-day calendar: Friday 13 Feb 2026, across Spring Festival', async () => {
    app.clock.set(sh('2026-02-13T10:00'));
    const l = await row(await leadAtA());
    expect(l.acceptDueAt).to.deep.equal(sh('2026-02-14T10:00')); // Saturday 14 Feb is a make-up working day
    expect(l.contactDueAt).to.deep.equal(sh('2026-02-25T10:00')); // 13 (14 h), 14 (24 h), 24 (24 h), 25 (10 h)
    expect(l.decisionDueAt).to.deep.equal(sh('2026-02-27T10:00'));
    expect(l.escalateAt).to.deep.equal(sh('2026-02-25T10:00')); // two working days after the acceptance deadline
  });

  it('applies a policy change, the city\'s or a bank\'s, only to leads created after it', async () => {
    app.clock.set(sh('2026-03-02T09:00'));
    await tokens();
    const before = await row(await leadAtA());
    expectFieldErrors(await app.call('PUT', '/api/sla/policy', { token: t.desk, body: { acceptDays: 1, contactDays: 3, decisionDays: 5, escalateDays: 0 } }), ['escalateDays']);
    expectFieldErrors(await app.call('PUT', '/api/sla/policy', { token: t.desk, body: { acceptDays: 5, contactDays: 3, decisionDays: 1, escalateDays: 2 } }), ['body']);
    expectProblem(await app.call('PUT', '/api/sla/policy', { token: t.adminA, body: { acceptDays: 1, contactDays: 2, decisionDays: 3, escalateDays: 1 } }), 403);
    const city = await app.call('PUT', '/api/sla/policy', { token: t.desk, body: { acceptDays: 2, contactDays: 4, decisionDays: 6, escalateDays: 2 } });
    expect(city.body).to.include({ acceptDays: 2, bankId: null });
    const after = await row(await leadAtA());
    expect(after.acceptDueAt).to.deep.equal(sh('2026-03-04T09:00'));
    expect((await row(before.id)).acceptDueAt, 'earlier lead keeps its deadline').to.deep.equal(sh('2026-03-03T09:00'));

    await app.call('PUT', '/api/sla/policy', { token: t.desk, body: { bankId: bankA, acceptDays: 1, contactDays: 2, decisionDays: 3, escalateDays: 1 } });
    const override = await row(await leadAtA());
    expect(override.acceptDueAt).to.deep.equal(sh('2026-03-03T09:00'));
    expect(override.decisionDueAt).to.deep.equal(sh('2026-03-05T09:00'));
    const seen = await app.call('GET', '/api/sla/policy', { token: t.officerA });
    expect(seen.body.bank).to.include({ acceptDays: 1, bankId: bankA });
    expect(seen.body.default).to.include({ acceptDays: 2, bankId: null });
  });

  it('lists overdue leads and says which deadline they missed', async () => {
    app.clock.set(sh('2026-03-10T09:00'));
    await tokens();
    const id = await leadAtA(); // accept by 11 March 09:00 under bank A's override
    app.clock.set(sh('2026-03-11T09:30'));
    await tokens();
    const overdue = await app.call('GET', '/api/leads?overdue=true&pageSize=200', { token: t.adminA });
    const mine = overdue.body.items.find((l: { id: number }) => l.id === id);
    expect(mine.overdue).to.equal('accept');
    await app.call('POST', `/api/leads/${id}/claim`, { token: t.officerA });
    const later = await app.call('GET', '/api/leads?overdue=true&pageSize=200', { token: t.adminA });
    expect(later.body.items.map((l: { id: number }) => l.id)).not.to.include(id);
  });

  it('measures time to accept, contact and decide in working and calendar hours', async () => {
    app.clock.set(sh('2026-03-06T10:00')); // a Friday
    await tokens();
    const id = await leadAtA();
    app.clock.set(sh('2026-03-09T11:00')); // Monday
    await tokens();
    await app.call('POST', `/api/leads/${id}/claim`, { token: t.officerA });
    app.clock.set(sh('2026-03-09T15:30'));
    await tokens();
    const res = await app.call('POST', `/api/leads/${id}/contact`, { token: t.officerA });
    expect(res.body.responseTimes).to.deep.equal({
      accept: { workingHours: 25, calendarHours: 73 }, // Friday 14 h + Monday 11 h; 3 days and an hour
      contact: { workingHours: 29.5, calendarHours: 77.5 },
      decision: null,
    });
  });
});
