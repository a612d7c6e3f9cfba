import Joi from 'joi';
import { answer, bilingual, int, isoTime } from '../docs/shapes';

/** The response schemas of the watch routes' answers that are not the watch itself. */

export const watchConsentResponse = answer({ version: Joi.string().description('quote it in consent.version'), retentionDays: int, text: bilingual });
export const watchStatsResponse = answer({ active: int, notified: int, applied: int });

/** POST /api/watches (201): the watch's links; the rest is shown at its manage link. */
export const watchCreatedResponse = answer({
  id: int, manageUrl: Joi.string().description('the applicant\'s page of the watch; also in every message'), expiresAt: isoTime, applyUrl: Joi.string(),
});

/** routes/watches/index.ts presentWatch: the kept profile and need as they were given. */
export const watchResponse = answer({
  id: int, status: Joi.string().valid('active', 'expired', 'cancelled'),
  company: Joi.object().unknown().description('the company profile as given (see POST /api/match)'),
  need: Joi.object({ amount: int.required(), termMonths: int.required(), purpose: Joi.string().allow('') }),
  createdAt: isoTime, expiresAt: isoTime, cancelledAt: isoTime.allow(null), notifications: int.min(0), lastNotifiedAt: isoTime.allow(null),
  manageUrl: Joi.string(), applyUrl: Joi.string(),
});
