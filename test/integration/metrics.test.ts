import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { runJob } from '../../server/jobs';
import { reportRollup } from '../../server/jobs/report-rollup';
import { queryRows } from '../../server/sql';
import { jobDeps, startTestApp, TestClock, type TestApp } from '../helpers/app';
import { hardwareMaker, requestAtBank } from '../helpers/applications';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';
import { sample } from '../helpers/metrics';

describe('GET /metrics (Prometheus)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let admin: string;

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-02T10:00')) });
    const bank = await buildLendingBank(app.db);
    await requestAtBank(app, bank.id, { company: hardwareMaker() });
  });
  after(() => app.close());

  it('is closed to the public and to other staff roles', async () => {
    const anonymous = await fetch(`${app.baseUrl}/metrics`);
    expect(anonymous.status).to.equal(401);
    expect(anonymous.headers.get('content-type')).to.match(/^application\/problem\+json/);
    const desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    expect((await fetch(`${app.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${desk}` } })).status).to.equal(403);
  });

  it('counts requests by route pattern and status, and reads leads, overdue leads, outbox and job runs from the database', async () => {
    for (let i = 0; i < 3; i++) await fetch(`${app.baseUrl}/api/products?limit=1`);
    await fetch(`${app.baseUrl}/api/products/999999`);
    app.clock.set(sh('2026-03-04T10:00')); // past the acceptance deadline
    await runJob(jobDeps(app), reportRollup, 'manual');
    admin = await tokenFor(app, await buildUser(app.db, { role: 'admin' })); // a token of the new day

    const res = await fetch(`${app.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${admin}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'rongma_http_requests_total', { method: 'GET', route: '/api/products/', status: '200' })).to.equal(3);
    expect(sample(text, 'rongma_http_requests_total', { method: 'GET', route: '/api/products/:id', status: '404' })).to.equal(1);
    expect(sample(text, 'rongma_http_request_duration_seconds_count', { route: '/api/products/', status: '200' })).to.equal(3);

    const [db] = await queryRows<{ leads: number; pending: number }>(app.db, sql`
      select (select count(*)::int from leads where status = 'new') as leads, (select count(*)::int from outbox where delivered_at is null and dead_at is null) as pending`);
    expect(db!.leads).to.be.greaterThan(0);
    expect(sample(text, 'rongma_leads', { status: 'new' })).to.equal(db!.leads);
    expect(sample(text, 'rongma_leads_overdue', { stage: 'accept' })).to.equal(db!.leads);
    expect(sample(text, 'rongma_outbox_messages', { state: 'pending' })).to.equal(db!.pending);
    expect(sample(text, 'rongma_outbox_messages', { state: 'dead' })).to.equal(0);
    expect(sample(text, 'rongma_job_runs', { job: 'report-rollup', outcome: 'ok' })).to.equal(1);
    expect(sample(text, 'rongma_job_last_duration_seconds', { job: 'report-rollup' })).to.be.at.least(0);
    expect(sample(text, 'rongma_db_pool_connections', { state: 'waiting' })).to.equal(0);
    expect(sample(text, 'rongma_process_resident_memory_bytes')).to.be.greaterThan(0);
  });

  it('opens to the scraper’s own token when METRICS_TOKEN is set, and to nothing else', async () => {
    const token = 'scrape-token-0123456789-abcdefghijklmnop';
    const scraped = await startTestApp({ config: { metricsToken: token } });
    try {
      expect((await fetch(`${scraped.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${token}` } })).status).to.equal(200);
      expect((await fetch(`${scraped.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${token.slice(0, -1)}x` } })).status).to.equal(401);
    } finally {
      await scraped.close();
    }
  });
});
