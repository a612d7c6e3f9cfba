import Joi from 'joi';
import { answer, bilingual } from '../docs/shapes';

/** The response schema of GET /api/city (routes/city/present.ts). */
export const cityResponse = answer({
  code: Joi.string().pattern(/^\d{6}$/).description('GB/T 2260 code of the city'),
  name: bilingual,
  districts: Joi.object().pattern(/^\d{6}$/, bilingual).description('district code → its names'),
  desk: answer({ name: Joi.string(), phone: Joi.string(), address: Joi.string() }),
});
