import { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import cron from 'node-cron';
import type { AppContext } from '../../server/context';
import { NotFoundError } from '../../server/errors';
import { jobs, lastRunOf, runJob } from '../../server/jobs';
import { inputOf, noInput, validate } from '../../server/middleware/validate';

/** Next time a cron expression fires in Asia/Shanghai (a throwaway task, destroyed at once, answers it). */
function nextRun(schedule: string): string | null {
  const probe = cron.schedule(schedule, () => undefined, { timezone: 'Asia/Shanghai' });
  const next = probe.getNextRun();
  void probe.destroy();
  return next?.toISOString() ?? null;
}

/** System administration: the scheduled jobs, their last and next runs, and running one now. */
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

  const router = Router();
  router.get('/jobs', ctx.auth('admin'), noInput, list);
  router.post('/jobs/:name/run', ctx.auth('admin'), validate({ params: Joi.object({ name: Joi.string().pattern(/^[a-z-]{2,40}$/).required() }) }), run);
  return router;
}
