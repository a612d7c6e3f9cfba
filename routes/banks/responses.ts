import Joi from 'joi';
import { bankKinds } from '../../models/banks';
import { answer, int, pageOf } from '../docs/shapes';

/** The response schemas of routes/banks/present.ts. */

export const bankResponse = answer({
  id: int, code: Joi.string(), name: Joi.string(), shortName: Joi.string(), kind: Joi.string().valid(...bankKinds), active: Joi.boolean(),
  productCount: int.optional().description('in lists: its published products'),
});
export const bankListResponse = pageOf(bankResponse);

export const branchResponse = answer({
  id: int, bankId: int, name: Joi.string(), district: Joi.string(), address: Joi.string().allow(null, ''), phone: Joi.string().allow(null, ''), active: Joi.boolean(),
});
export const branchListResponse = pageOf(branchResponse);
