import { sql } from 'drizzle-orm';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database, Db } from './db';
import type { Clock } from './clock';
import { queryRows } from './sql';
import { smsBacklog } from '../models/sms';
import { overdueSql, overdueStageSql } from '../models/lead-queries';
import { overdueStages, type OverdueStage } from './domain/lead-lifecycle';

export interface Metrics {
  registry: Registry;
  /** Counts and times every HTTP answer by method, route pattern (not the raw path) and status. */
  middleware: RequestHandler;
}

/**
 * Prometheus metrics for one app: HTTP counts and latency (in process), and figures read from the
 * database at scrape time — shared by every instance, so any one of them answers for the city:
 * pool use, job runs by outcome and their last duration, outbox backlog and dead letters, leads by
 * status, leads past a deadline.
 */
export function createMetrics(deps: { db: Db; database?: Database; clock: Clock }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rongma_' });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'rongma_http_requests_total', help: 'HTTP requests answered, by method, route and status', labelNames, registers: [registry] });
  const latency = new Histogram({
    name: 'rongma_http_request_duration_seconds', help: 'Time to answer an HTTP request, by method, route and status', labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });

  const gauge = (name: string, help: string, labels: string[], collect: (g: Gauge) => Promise<void>) =>
    new Gauge({ name, help, labelNames: labels, registers: [registry], async collect() { this.reset(); await collect(this); } });

  gauge('rongma_db_pool_connections', 'Server-pool connections by state (open, idle, waiting queries); 0 on the embedded database', ['state'], async (g) => {
    const stats = deps.database?.poolStats?.() ?? { total: 0, idle: 0, waiting: 0 };
    g.set({ state: 'open' }, stats.total);
    g.set({ state: 'idle' }, stats.idle);
    g.set({ state: 'waiting' }, stats.waiting);
  });
  gauge('rongma_job_runs', 'Scheduled job runs recorded, by job and outcome', ['job', 'outcome'], async (g) => {
    const rows = await queryRows<{ job: string; outcome: string; n: number }>(deps.db, sql`select job, outcome, count(*)::int as n from job_runs group by 1, 2`);
    for (const r of rows) g.set({ job: r.job, outcome: r.outcome }, r.n);
  });
  gauge('rongma_job_last_duration_seconds', 'Duration of each job’s last finished run', ['job'], async (g) => {
    const rows = await queryRows<{ job: string; s: number }>(deps.db, sql`
      select distinct on (job) job, extract(epoch from finished_at - started_at)::float8 as s from job_runs
      where finished_at is not null order by job, started_at desc`);
    for (const r of rows) g.set({ job: r.job }, r.s);
  });
  gauge('rongma_outbox_messages', 'Webhook outbox: waiting to be delivered, and dead letters', ['state'], async (g) => {
    const [r] = await queryRows<{ pending: number; dead: number }>(deps.db, sql`
      select count(*) filter (where delivered_at is null and dead_at is null)::int as pending, count(*) filter (where dead_at is not null)::int as dead from outbox`);
    g.set({ state: 'pending' }, r!.pending);
    g.set({ state: 'dead' }, r!.dead);
  });
  gauge('rongma_sms_messages', 'SMS outbox: waiting to be sent (due, in backoff or waiting out quiet hours), and dead letters', ['state'], async (g) => {
    const r = await smsBacklog(deps.db);
    g.set({ state: 'pending' }, r.pending);
    g.set({ state: 'dead' }, r.dead);
  });
  gauge('rongma_leads', 'Leads by status', ['status'], async (g) => {
    const rows = await queryRows<{ status: string; n: number }>(deps.db, sql`select status, count(*)::int as n from leads group by 1`);
    for (const r of rows) g.set({ status: r.status }, r.n);
  });
  gauge('rongma_leads_overdue', 'Leads past the deadline of their current step, by stage (overdueStage)', ['stage'], async (g) => {
    const now = deps.clock.now();
    const rows = await queryRows<{ stage: OverdueStage; n: number }>(deps.db, sql`
      select ${overdueStageSql(now)} as stage, count(*)::int as n from leads where ${overdueSql(now)} group by 1`);
    for (const stage of overdueStages) g.set({ stage }, rows.find((r) => r.stage === stage)?.n ?? 0);
  });

  const middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    // The router sets req.route when a route matches; note the mount path then, because a router
    // restores req.baseUrl when an error leaves it (a 404 from /api/products/:id would lose "/api/products").
    let route = 'unmatched';
    let matched: unknown;
    Object.defineProperty(req, 'route', {
      configurable: true,
      get: () => matched,
      set(value: { path?: unknown } | undefined) {
        matched = value;
        if (value?.path !== undefined) route = `${req.baseUrl}${String(value.path)}`;
      },
    });
    res.on('finish', () => {
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
  return { registry, middleware };
}
