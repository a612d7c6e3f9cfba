import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { leads } from '../../models/leads';
import { bankFigures, channelFunnel, summaryFigures, weeklyTrend, type FigureRow, type ReportFilter } from '../../models/reports';
import { refreshReportRollup, SAMPLE_EVERY } from '../../models/rollup-refresh';
import { generateActivity } from '../../server/demo/activity';
import { runJob } from '../../server/jobs';
import { reportRollup } from '../../server/jobs/report-rollup';
import { seedDemo } from '../../server/seed';
import { queryRows } from '../../server/sql';
import { jobDeps, startTestApp, TestClock, type TestApp } from '../helpers/app';
import { buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

const percentileKeys = ['accept_wh', 'accept_ch', 'contact_wh', 'contact_ch', 'decision_wh', 'decision_ch'];
/** Everything the live figures answer except the percentiles (the rollup samples those). */
const counted = (row: FigureRow) => Object.fromEntries(Object.entries(row).filter(([k]) => !percentileKeys.includes(k) && !k.endsWith('_settled')));
const countedKeys = (row: FigureRow) => Object.keys(row).filter((k) => !percentileKeys.includes(k) && !k.endsWith('_settled'));

/**
 * The rollup answers what the live queries answer, on a demo year plus a request whose second lead
 * came a day later: counts and sums exactly, percentiles exactly over the sampled leads.
 */
describe('report rollup', function () {
  this.timeout(300_000);
  let app: TestApp;
  const now = sh('2026-11-20T15:00');
  const year: ReportFilter = { from: '2025-11-21', to: '2026-11-20', now };
  let bankId: number;
  let laterDay: string;
  let laterBank: number;

  before(async () => {
    app = await startTestApp({ clock: new TestClock(now) });
    await seedDemo(app.db, { accounts: false });
    await generateActivity(app.db, { leads: 3000, now, seed: 11, history: false, batchSize: 1000 });
    // A request whose lead at another bank came 26 hours later (as a second look does), still waiting and overdue.
    const [first] = await queryRows<{ application_id: number; bank_id: number; created_at: string }>(app.db, sql`
      select application_id, bank_id, created_at from leads where created_at < ${sh('2026-11-10T00:00').toISOString()}::timestamptz order by created_at desc limit 1`);
    const [other] = await queryRows<{ id: number; bank_id: number; snapshot: unknown }>(app.db, sql`
      select p.id, p.bank_id, jsonb_build_object('id', p.id, 'name', p.name, 'type', p.type) as snapshot from products p
      where p.bank_id <> ${first!.bank_id} and p.status = 'published' order by p.id limit 1`);
    const at = new Date(new Date(first!.created_at).getTime() + 26 * 3_600_000);
    laterBank = other!.bank_id;
    laterDay = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    await app.db.insert(leads).values({
      applicationId: first!.application_id, bankId: other!.bank_id, productId: other!.id, productSnapshot: other!.snapshot, secondLook: true,
      createdAt: at, updatedAt: at, acceptDueAt: new Date(at.getTime() + 8 * 3_600_000), contactDueAt: new Date(at.getTime() + 30 * 3_600_000),
      decisionDueAt: new Date(at.getTime() + 100 * 3_600_000),
    });
    const { days } = await refreshReportRollup(app.db, { batchDays: 400 }); // the whole year in one batch: fast on both engines
    expect(days).to.be.greaterThan(300);
    const [top] = await queryRows<{ id: number }>(app.db, sql`select bank_id as id from leads group by bank_id order by count(*) desc limit 1`);
    bankId = top!.id;
  });
  after(() => app.close());

  async function expectSameSummary(f: ReportFilter) {
    const live = await summaryFigures(app.db, f, 'live');
    const rolled = await summaryFigures(app.db, f, 'rollup');
    expect(rolled.basis.source).to.equal('rollup');
    expect(counted(rolled.row)).to.deep.equal(counted(live.row));
    expect(rolled.declines).to.deep.equal(live.declines);
    expect(rolled.secondLook).to.deep.equal(live.secondLook);
    return { live, rolled };
  }

  it('sums a year, a month, one dimension and a bank with one dimension exactly as the live queries do', async () => {
    const { live } = await expectSameSummary(year);
    expect(live.row.leads).to.be.greaterThan(2900);
    expect(Number(live.row.accept_due)).to.be.greaterThan(Number(live.row.accept_met)); // some deadlines missed, some still waiting
    const [type] = await queryRows<{ t: string }>(app.db, sql`select product_snapshot->>'type' as t from leads group by 1 order by count(*) desc limit 1`);
    const [channel] = await queryRows<{ id: number }>(app.db, sql`select channel_id as id from applications where channel_id is not null group by 1 order by count(*) desc limit 1`);
    for (const f of [
      { ...year, from: '2026-10-21' }, { ...year, district: '441204' }, { ...year, industry: 'C' }, { ...year, size: 'small' },
      { ...year, bankId }, { ...year, productType: type!.t }, { ...year, channelId: channel!.id }, { ...year, bankId, district: '441202' },
      { ...year, industry: 'C', size: 'small' }, { ...year, district: '441204', productType: type!.t }, { ...year, from: '2020-01-01', to: '2020-12-31' },
    ]) await expectSameSummary(f);
    // A bank with two dimensions, or three dimensions, has no rollup rows: answered live even when asked.
    expect((await summaryFigures(app.db, { ...year, bankId, industry: 'C', size: 'small' }, 'rollup')).basis).to.deep.equal({ source: 'live' });
    expect((await bankFigures(app.db, { ...year, industry: 'C', size: 'small' }, 'leads', 'desc', 'rollup')).basis).to.deep.equal({ source: 'live' });
  });

  it('counts a request once, in the range of its first lead matching the filter', async () => {
    const day: ReportFilter = { ...year, from: laterDay, to: laterDay };
    const { live: all } = await expectSameSummary(day);
    const { live: atBank } = await expectSameSummary({ ...day, bankId: laterBank });
    expect(Number(atBank.row.applications)).to.be.at.least(1); // the later lead is this request's first at that bank
    expect(Number(all.row.applications)).to.be.lessThan(Number(all.row.leads) + 1);
    expect(atBank.secondLook.length).to.be.greaterThan(0);
  });

  it('takes medians and p90 over the one-in-N sample of the same scope', async () => {
    const { rolled } = await expectSameSummary(year);
    const [expected] = await queryRows<{ accept_wh: number[]; decision_ch: number[] }>(app.db, sql`
      select percentile_cont(array[0.5, 0.9]) within group (order by accept_working_hours) as accept_wh,
        percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from decided_at - created_at) / 3600) as decision_ch
      from leads where id % ${SAMPLE_EVERY} = 0
        and created_at >= '2025-11-20T16:00:00Z' and created_at < '2026-11-20T16:00:00Z'`);
    for (const k of ['accept_wh', 'decision_ch'] as const) {
      const got = rolled.row[k] as number[];
      expected![k].forEach((v, i) => expect(got[i]!, `${k}[${i}]`).to.be.closeTo(v, Math.max(0.01, v * 1e-5)));
    }
  });

  it('answers the league table, the channel funnel and the weekly trend as the live queries do', async () => {
    for (const f of [year, { ...year, district: '441204' }]) {
      const live = await bankFigures(app.db, f, 'acceptSlaPct', 'desc', 'live');
      const rolled = await bankFigures(app.db, f, 'acceptSlaPct', 'desc', 'rollup');
      expect(rolled.rows.map((r) => r.bank_id)).to.deep.equal(live.rows.map((r) => r.bank_id));
      rolled.rows.forEach((r, i) => expect(Object.fromEntries(countedKeys(live.rows[i]!).map((k) => [k, r[k]])), r.short_name).to.deep.equal(counted(live.rows[i]!)));
    }
    for (const f of [year, { ...year, bankId }]) {
      expect((await channelFunnel(app.db, f, 'rollup')).rows).to.deep.equal((await channelFunnel(app.db, f, 'live')).rows);
      expect((await weeklyTrend(app.db, f, 'rollup')).rows).to.deep.equal((await weeklyTrend(app.db, f, 'live')).rows);
    }
  });

  it('marks a changed lead’s day in the same transaction; the job rebuilds it and says how current it is', async () => {
    const [waiting] = await queryRows<{ id: number; day: string }>(app.db, sql`
      select id, (created_at at time zone 'Asia/Shanghai')::date::text as day from leads where status = 'new' and closed_at is null order by id limit 1`);
    // Only the deliberate rollback may end the transaction: any other error (a failing update) fails the test.
    const rolledBack = await app.db.transaction(async (tx) => {
      await tx.execute(sql`update leads set status = 'claimed', claimed_at = ${now.toISOString()}::timestamptz where id = ${waiting!.id}`);
      throw new Error('rolled back');
    }).then(() => 'committed', (err: Error) => err.message);
    expect(rolledBack).to.equal('rolled back');
    expect(await queryRows(app.db, sql`select 1 from report_dirty_days`)).to.have.length(0); // a rolled-back change marks nothing
    await app.db.execute(sql`update leads set status = 'claimed', claimed_at = ${now.toISOString()}::timestamptz where id = ${waiting!.id}`);
    const marks = await queryRows<{ day: string; marked_at: string }>(app.db, sql`select day::text as day, marked_at from report_dirty_days`);
    expect(marks.map((m) => m.day)).to.deep.equal([waiting!.day]);
    const stale = await summaryFigures(app.db, year, 'rollup');
    expect(stale.basis).to.deep.equal({ source: 'rollup', asOf: new Date(marks[0]!.marked_at).toISOString() });

    const run = await runJob(jobDeps(app), reportRollup, 'manual');
    expect(run).to.deep.include({ outcome: 'ok', counts: { days: 1, batches: 1 } });
    expect(await queryRows(app.db, sql`select 1 from report_dirty_days`)).to.have.length(0);
    const fresh = await expectSameSummary(year);
    expect(fresh.rolled.basis).to.deep.equal({ source: 'rollup', asOf: now.toISOString() });
  });

  it('answers small scopes live, and says so in the API', async () => {
    const desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    const r = await app.call('GET', '/api/reports/summary?from=2026-11-01&to=2026-11-20', { token: desk });
    expect(r.status).to.equal(200);
    expect(r.body.basis).to.deep.equal({ source: 'live' });
  });
});
