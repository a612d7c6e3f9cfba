import Joi from 'joi';
import { answer, bilingual, int } from '../docs/shapes';

/** The response schemas of the watch routes' answers that are not the watch itself. */

export const watchConsentResponse = answer({ version: Joi.string().description('quote it in consent.version'), retentionDays: int, text: bilingual });
export const watchStatsResponse = answer({ active: int, notified: int, applied: int });
