import { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import cron from 'node-cron';
import { listAudit } from '../../models/audit';
import { machineTokenOr, maybeActorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { ConflictError, NotFoundError, ValidationError } from '../../server/errors';
import { auditDatabaseCopy, type DatabaseCopy } from '../../server/ops/audit-copy';
import { exportSql } from '../../server/ops/export-sql';
import { jobs, lastRunOf, runJob } from '../../server/jobs';
import { currentRequestId } from '../../server/middleware/request-context';
import { inputOf, noInput, validate } from '../../server/middleware/validate';
import { listOf } from '../../server/schemas';
import { presentAudit } from './present';
import { auditQuery, type AuditQuery } from './schema';

/** Next time a cron expression fires in Asia/Shanghai (a throwaway task, destroyed at once, answers it). */
function nextRun(schedule: string): string | null {
  const probe = cron.schedule(schedule, () => undefined, { timezone: 'Asia/Shanghai' });
  const next = probe.getNextRun();
  void probe.destroy();
  return next?.toISOString() ?? null;
}

/** System administration: the scheduled jobs (last and next runs, run now), backups and exports, the audit trail. */
export function adminRoutes(ctx: AppContext): Router {
  async function list(_req: Request, res: Response) {
    const items = await Promise.all(jobs.map(async (job) => {
      const last = await lastRunOf(ctx, job.name);
      return {
        name: job.name, schedule: job.schedule, timezone: 'Asia/Shanghai', description: job.description,
        lastRun: last ? { trigger: last.trigger, startedAt: last.startedAt.toISOString(), finishedAt: last.finishedAt?.toISOString() ?? null, outcome: last.outcome, counts: last.counts, error: last.error } : null,
        nextRun: nextRun(job.schedule),
      };
    }));
    res.json({ items, total: items.length, page: 1, pageSize: items.length });
  }

  async function run(_req: Request, res: Response) {
    const { name } = inputOf<{ params: { name: string } }>(res).params;
    const job = jobs.find((j) => j.name === name);
    if (!job) throw new NotFoundError({ code: 'job_not_found', detail: `No job named ${name}.` });
    if (!ctx.database) throw new Error('running a job needs the database handle');
    res.json({ job: name, ...(await runJob({ ...ctx, database: ctx.database }, job, 'manual')) });
  }

  /** Sets the headers of a download named `rongma-<time>.<ext>`, never cached. */
  function download(res: Response, ext: string, type: string) {
    const stamp = ctx.clock.now().toISOString().slice(0, 19).replace(/[-:T]/g, '');
    res.set('Content-Disposition', `attachment; filename="rongma-${stamp}.${ext}"`).set('Cache-Control', 'no-store').type(type);
  }

  /** Audits a copy of the whole database; no actor means the operations token let the request in. */
  function auditCopy(req: Request, res: Response, kind: DatabaseCopy) {
    const actor = maybeActorOf(res);
    return auditDatabaseCopy(ctx.db, { kind, via: actor ? 'admin' : 'ops_token', actor, ip: req.ip, requestId: currentRequestId() });
  }

  /** The whole embedded data directory as .tar.gz, taken between queries while the service runs. */
  async function backup(req: Request, res: Response) {
    if (!ctx.database?.dumpDataDir) throw new ConflictError({ code: 'not_embedded', detail: 'This service runs on a PostgreSQL server: back it up with pg_dump, or use GET /api/admin/export.sql.' });
    await auditCopy(req, res, 'backup');
    const blob = await ctx.database.dumpDataDir();
    download(res, 'tar.gz', 'application/gzip');
    res.send(Buffer.from(await blob.arrayBuffer()));
  }

  /** The whole database as SQL a PostgreSQL server loads (one snapshot), streamed as it is read. */
  async function exportDatabase(req: Request, res: Response) {
    await auditCopy(req, res, 'export_sql');
    download(res, 'sql', 'application/sql; charset=utf-8');
    const counts = await exportSql(ctx.db, res, ctx.clock.now());
    ctx.logger.info({ counts }, 'database exported as SQL');
    res.end();
  }

  /** The audit trail, newest first: every write, unmasked read, lock, backup and export. */
  async function audit(_req: Request, res: Response) {
    const { query } = inputOf<{ query: AuditQuery }>(res);
    if (query.from && query.to && query.from > query.to) throw new ValidationError([{ in: 'query', path: 'from', message: 'from must not be after to' }]);
    const { rows, total } = await listAudit(ctx.db, query);
    res.json(listOf(rows.map(presentAudit), total, query));
  }

  // The operations token of this start (written to DATA_DIR/service.json for npm run backup), or an admin.
  const opsOrAdmin = machineTokenOr(ctx.config.opsToken, ctx.auth('admin'));

  const router = Router();
  router.get('/backup', opsOrAdmin, noInput, backup);
  router.get('/export.sql', opsOrAdmin, noInput, exportDatabase);
  router.get('/audit', ctx.auth('admin'), validate({ query: auditQuery }), audit);
  router.get('/jobs', ctx.auth('admin'), noInput, list);
  router.post('/jobs/:name/run', ctx.auth('admin'), validate({ params: Joi.object({ name: Joi.string().pattern(/^[a-z-]{2,40}$/).required() }) }), run);
  return router;
}
