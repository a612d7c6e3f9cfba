import Joi from 'joi';
import { reassignmentStatuses, type ReassignmentStatus } from '../../models/reassignments';
import { id, paging, type Paging } from '../../server/schemas';

export const queueQuery = Joi.object({ ...paging });
export const listQuery = Joi.object({ status: Joi.string().valid(...reassignmentStatuses), ...paging });

export const reassignBody = Joi.object({
  leadId: id.required().description('an escalated lead (handed back to the desk, not accepted)'),
  productId: id.required().description('an eligible product of a bank this request has not reached'),
  note: Joi.string().trim().max(500).allow(''),
}).required()
  .example({ leadId: 1207, productId: 64, note: '原银行超时未受理' });

export interface ReassignInput { leadId: number; productId: number; note?: string }
export interface ListQuery extends Paging { status?: ReassignmentStatus }
