import { createHash } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import cron, { type ScheduledTask } from 'node-cron';
import type { Database } from '../db';
import { jobRuns } from '../../models/jobs';
import type { Job, JobDeps } from './job';
import { dailyDigest } from './daily-digest';
import { outboxDeliver } from './outbox-deliver';
import { piiRetention } from './pii-retention';
import { reportRollup } from './report-rollup';
import { slaCheck } from './sla-check';
import { smsDeliver } from './sms-deliver';
import { watchRematch } from './watch-rematch';
import { coachingCheck } from './coaching-check';
import { assistedLapse } from './assisted-lapse';

export const jobs: Job[] = [slaCheck, outboxDeliver, smsDeliver, watchRematch, dailyDigest, piiRetention, reportRollup, coachingCheck, assistedLapse];

/** The advisory-lock key of a job: the first 31 bits of a hash of its name. */
const lockKey = (name: string) => createHash('sha256').update(`rongma-job:${name}`).digest().readUInt32BE(0) >>> 1;

export type RunResult = { outcome: 'ok' | 'failed' | 'skipped'; counts?: Record<string, number>; error?: string };

/**
 * Runs a job once under its advisory lock (a run already going anywhere means this one is skipped, so
 * runs never overlap across instances), recording it in job_runs.
 */
export async function runJob(deps: JobDeps & { database: Pick<Database, 'withLock'> }, job: Job, trigger: 'scheduled' | 'manual'): Promise<RunResult> {
  const attempt = await deps.database.withLock(lockKey(job.name), async (): Promise<RunResult> => {
    const [run] = await deps.db.insert(jobRuns).values({ job: job.name, trigger, startedAt: deps.clock.now(), outcome: 'running' }).returning({ id: jobRuns.id });
    try {
      const counts = await job.run(deps);
      await deps.db.update(jobRuns).set({ finishedAt: deps.clock.now(), outcome: 'ok', counts }).where(eq(jobRuns.id, run!.id));
      return { outcome: 'ok', counts };
    } catch (err) {
      const error = (err as Error).message;
      deps.logger.error({ err, job: job.name }, 'job failed');
      await deps.db.update(jobRuns).set({ finishedAt: deps.clock.now(), outcome: 'failed', error }).where(eq(jobRuns.id, run!.id));
      return { outcome: 'failed', error };
    }
  });
  return attempt.ran ? attempt.result : { outcome: 'skipped' };
}

/** Wires every job to node-cron in Asia/Shanghai time; answers a stop function. The one place jobs are scheduled. */
export function startJobs(deps: JobDeps & { database: Database }): { tasks: Map<string, ScheduledTask>; stop: () => Promise<void> } {
  const tasks = new Map<string, ScheduledTask>();
  for (const job of jobs) {
    tasks.set(job.name, cron.schedule(job.schedule, () => runJob(deps, job, 'scheduled'), { name: job.name, timezone: 'Asia/Shanghai', noOverlap: true }));
  }
  return {
    tasks,
    stop: async () => {
      for (const t of tasks.values()) await t.stop();
    },
  };
}

export async function lastRunOf(deps: Pick<JobDeps, 'db'>, name: string) {
  const [row] = await deps.db.select().from(jobRuns).where(eq(jobRuns.job, name)).orderBy(desc(jobRuns.id)).limit(1);
  return row;
}
