import Joi from 'joi';
import { consultationOutcomes } from '../../models/consultations';
import { answer, int, isoDay, isoTime, pageOf } from '../docs/shapes';

/** The response schemas of routes/consultations/present.ts. */

export const consultationResponse = answer({
  id: int, createdAt: isoTime, uscc: Joi.string().allow(null), companyName: Joi.string(), contactName: Joi.string().allow(null),
  phone: Joi.string().allow(null).description('masked'), channel: Joi.string(), topics: Joi.array().items(Joi.string()), productIds: Joi.array().items(int),
  note: Joi.string().allow(null, ''), outcome: Joi.string().valid(...consultationOutcomes), recordedBy: answer({ id: int.allow(null), name: Joi.string().allow(null) }),
});
export const consultationListResponse = pageOf(consultationResponse);

const byOutcome = answer(Object.fromEntries(consultationOutcomes.map((o) => [o, int])));
export const consultationStatsResponse = answer({
  from: isoDay.allow(null), to: isoDay.allow(null), total: int, byOutcome,
  weeks: Joi.array().items(answer({ weekOf: Joi.string(), total: int, byOutcome })),
});
