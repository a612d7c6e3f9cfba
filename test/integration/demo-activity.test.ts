import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { transitions } from '../../server/domain/lead-lifecycle';
import { isValidUscc } from '../../server/domain/uscc';
import { generateActivity } from '../../server/demo/activity';
import { seedDemo } from '../../server/seed';
import { queryRows } from '../../server/sql';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

describe('demo activity generator', function () {
  this.timeout(120_000);
  let app: TestApp;
  const now = sh('2026-11-20T15:00');

  before(async () => {
    app = await startTestApp({ clock: new TestClock(now) });
    await seedDemo(app.db);
  });
  after(() => app.close());

  it('writes a year of requests whose leads obey the lifecycle, and a second run adds to the first', async () => {
    const first = await generateActivity(app.db, { leads: 600, now, days: 90, seed: 1, batchSize: 250 });
    expect(first.leads).to.be.within(570, 603);
    const second = await generateActivity(app.db, { leads: 300, now, seed: 2 });
    const [counts] = await queryRows<{ leads: number; applications: number; companies: number; events: number; consents: number }>(app.db, sql`
      select (select count(*)::int from leads) as leads, (select count(*)::int from applications) as applications,
        (select count(*)::int from companies) as companies, (select count(*)::int from lead_events) as events, (select count(*)::int from consents) as consents`);
    expect(counts!.leads).to.equal(first.leads + second.leads);
    expect(counts!.applications).to.equal(first.applications + second.applications);
    expect(counts!.companies).to.equal(first.companies + second.companies);
    expect(counts!.consents).to.equal(counts!.leads);
    expect(counts!.events).to.be.greaterThan(counts!.leads * 2);

    const companies = await queryRows<{ uscc: string }>(app.db, sql`select uscc from companies`);
    expect(companies.every((c) => isValidUscc(c.uscc))).to.equal(true);

    // Every lead's history is a walk through the transition table ending in its status; its stamps match.
    const rows = await queryRows<{ id: number; status: string; created_at: string; claimed_at: string | null; decided_at: string | null; terms_amount: string | null; decline_reason: string | null; path: { action: string; from: string | null; to: string; at: string }[] }>(app.db, sql`
      select l.id, l.status, l.created_at, l.claimed_at, l.decided_at, l.terms_amount, l.decline_reason,
        (select json_agg(json_build_object('action', e.action, 'from', e.from_status, 'to', e.to_status, 'at', e.at) order by e.at, e.id) from lead_events e where e.lead_id = l.id) as path
      from leads l`);
    const statuses = new Set<string>();
    for (const l of rows) {
      statuses.add(l.status);
      expect(l.path[0]!.action).to.equal('created');
      for (const step of l.path.slice(1)) {
        const t = transitions[step.action as keyof typeof transitions];
        expect(t, `lead ${l.id} ${step.action}`).to.not.equal(undefined);
        expect((t.from as readonly string[]).includes(step.from!), `lead ${l.id} ${step.action} from ${step.from}`).to.equal(true);
      }
      expect(l.path[l.path.length - 1]!.to).to.equal(l.status);
      expect(new Date(l.path[l.path.length - 1]!.at).getTime()).to.be.at.most(now.getTime());
      if (['approved', 'disbursed'].includes(l.status)) expect(Number(l.terms_amount)).to.be.greaterThan(0);
      if (l.status === 'declined') expect(l.decline_reason).to.be.a('string');
      if (l.claimed_at) expect(new Date(l.claimed_at).getTime()).to.be.greaterThan(new Date(l.created_at).getTime());
    }
    expect([...statuses]).to.include.members(['new', 'claimed', 'contacted', 'approved', 'declined', 'disbursed', 'expired']);
  });

  it('still runs in late December, when deadlines run into a year whose holiday schedule is not loaded', async () => {
    const december = sh('2026-12-30T16:00');
    const run = await generateActivity(app.db, { leads: 120, now: december, days: 20, seed: 3 });
    expect(run.leads).to.be.greaterThan(100);
    const [late] = await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from leads where decision_due_at >= '2027-01-01'`);
    expect(late!.n, 'some deadlines fall in 2027').to.be.greaterThan(0);
  });

  it('gives the desk a dashboard with something in every panel', async () => {
    const desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    const summary = await app.call('GET', '/api/reports/summary', { token: desk });
    expect(summary.status).to.equal(200);
    expect(summary.body.applications).to.be.greaterThan(300);
    expect(summary.body.approvalRatePct).to.be.within(40, 85);
    expect(summary.body.sla.accept.withinSlaPct).to.be.within(40, 99);
    expect(summary.body.declinesByReason.length).to.be.greaterThan(3);
    const channels = await app.call('GET', '/api/reports/channels', { token: desk });
    expect(channels.body.items.filter((c: { applications: number }) => c.applications > 0).length).to.be.at.least(10);
    expect(channels.body.items.every((c: { scans: number; applications: number }) => c.scans >= c.applications)).to.equal(true);
    const trend = await app.call('GET', '/api/reports/trend', { token: desk });
    const weeks = trend.body.items as { leads: number }[];
    expect(weeks.length).to.be.within(53, 54);
    expect(weeks.filter((w) => w.leads > 0).length).to.be.at.least(45);
  });
});
