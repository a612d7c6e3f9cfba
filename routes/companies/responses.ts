import Joi from 'joi';
import { answer, isoTime } from '../docs/shapes';

/** GET /api/companies/{uscc}: models/desk-lookups.ts knownCompany, from the latest source that named the USCC. */
export const companyResponse = answer({
  uscc: Joi.string(), name: Joi.string(), district: Joi.string().allow(null), industry: Joi.string().allow(null),
  source: Joi.string().valid('application', 'consultation', 'coaching').description('where the name was last seen'), seenAt: isoTime,
});
