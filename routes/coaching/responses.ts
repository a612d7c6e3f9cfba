import Joi from 'joi';
import { coachingStatuses } from '../../server/domain/coaching';
import { answer, int, isoDay, isoTime, pageOf } from '../docs/shapes';

/** The response schemas of routes/coaching/present.ts. */

const status = Joi.string().valid(...coachingStatuses);
export const coachingCaseResponse = answer({
  id: int, uscc: Joi.string(), companyName: Joi.string(), phone: Joi.string().allow(null).description('masked'), smsOptIn: Joi.boolean(),
  status, actions: Joi.array().items(status).description('the statuses the case may move to now'), targetProductIds: Joi.array().items(int),
  note: Joi.string().allow(null, ''), applicationId: int.allow(null), watching: Joi.boolean(),
  openedBy: int.allow(null), openedAt: isoTime, readyAt: isoTime.allow(null), appliedAt: isoTime.allow(null), financedAt: isoTime.allow(null), closedAt: isoTime.allow(null),
  gaps: Joi.array().items(answer({ id: int, criterion: Joi.string(), hint: Joi.string().allow(null, ''), plan: Joi.string(), dueOn: isoDay, done: Joi.boolean(), overdue: Joi.boolean() })),
});
export const coachingListResponse = pageOf(coachingCaseResponse);

/** GET /api/coaching/report: coached companies financed in the range and the days it took. */
export const coachingReportResponse = answer({
  from: isoDay, to: isoDay, opened: int.min(0), financed: int.min(0), medianDays: Joi.number().allow(null),
  items: Joi.array().items(answer({ id: int, uscc: Joi.string(), companyName: Joi.string(), openedAt: isoTime, financedAt: isoTime, days: int.min(0) })),
});
