import Joi from 'joi';
import { answer, int, isoTime, mapOf, pageOf } from '../docs/shapes';

/** The response schemas of the admin routes (routes/admin/present.ts and routes/admin/index.ts). */

/** presentAudit: the entity as a `kind:id` subject, everything else under detail. */
export const auditEntryResponse = answer({
  id: int, at: isoTime, actorId: int.allow(null), action: Joi.string(), subject: Joi.string(),
  detail: answer({
    actorRole: Joi.string().allow(null), bankId: int.allow(null), ip: Joi.string().allow(null), requestId: Joi.string().allow(null),
    before: Joi.any().description('the entity before the write (JSON), or null'), after: Joi.any().description('the entity after the write (JSON), or null'),
  }),
});
export const auditListResponse = pageOf(auditEntryResponse);

const counts = mapOf(int).description('what the run did, by name');
const outcome = Joi.string().valid('ok', 'failed', 'skipped');

export const jobResponse = answer({
  name: Joi.string(), schedule: Joi.string().description('cron'), timezone: Joi.string(), description: Joi.string(),
  lastRun: answer({
    trigger: Joi.string().valid('scheduled', 'manual'), startedAt: isoTime, finishedAt: isoTime.allow(null), outcome: outcome.allow('running'),
    counts: counts.allow(null), error: Joi.string().allow(null),
  }).allow(null),
  nextRun: isoTime.allow(null),
});
export const jobListResponse = pageOf(jobResponse);

/** POST /api/admin/jobs/{name}/run: server/jobs/index.ts RunResult with the job's name. */
export const jobRunResponse = answer({ job: Joi.string(), outcome, counts: counts.optional(), error: Joi.string().optional() });
