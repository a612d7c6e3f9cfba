import Joi from 'joi';
import { guaranteeTypes } from '../../server/domain/catalogue';
import { declineReasons, type DeclineReason } from '../../server/domain/lead-lifecycle';
import { leadStatuses, type LeadStatus } from '../../models/leads';
import { queueViews, type QueueView } from '../../models/lead-queries';
import { dateTime, dateTimeUpTo, day, district, id, paging, type Paging } from '../../server/schemas';

export const listLeadsQuery = Joi.object({
  status: Joi.string().valid(...leadStatuses),
  from: dateTime,
  to: dateTimeUpTo,
  mine: Joi.boolean(),
  overdue: Joi.boolean().description('true: only leads past a deadline of their current step; false: none of those'),
  view: Joi.string().valid(...queueViews).description('a working queue sorted by the next deadline, overdue first: mine (held by me), claimable (waiting to be accepted), all'),
  district: district.description('the company\'s district (GB/T 2260, one of the city\'s)'),
  productId: id,
  firstLoan: Joi.boolean().description('first loan as declared, or as the bank found after its credit-report check'),
  q: Joi.string().trim().min(1).max(100).description('part of the company name, or its USCC'),
  flagged: Joi.boolean().description('desk and admin: only requests flagged for a look: a possible loan broker (one phone, many companies) or a second contact (another phone, same company and product)'),
  branchId: id,
  bankId: id,
  since: Joi.number().integer().min(0).description('feed mode: changes after this cursor, in order, without gaps'),
  ...paging,
});

export const exportLeadsQuery = listLeadsQuery.keys({
  format: Joi.string().valid('csv', 'xlsx').default('csv'),
  since: Joi.forbidden(),
  flagged: Joi.forbidden(),
});

export const assignBody = Joi.object({ officerId: id, branchId: id }).or('officerId', 'branchId').required()
  .example({ officerId: 31 });
export const contactBody = Joi.object({ note: Joi.string().trim().max(1000).allow('') })
  .example({ note: '已电话联系，约定周三上门' });
/** Annual %, 1.00–24.00 (SPEC decision integrity): an empty field or 0 is refused, never stored as a 0% loan. */
const ratePct = Joi.number().min(1).max(24).custom((v: number, h) => (Math.abs(v * 100 - Math.round(v * 100)) > 1e-7 ? h.message({ custom: 'ratePct has at most two decimals' }) : v));

export const decisionBody = Joi.object({
  outcome: Joi.string().valid('approved', 'declined').required(),
  amount: Joi.number().integer().min(1000).max(10_000_000_000).when('outcome', { is: 'approved', then: Joi.required(), otherwise: Joi.forbidden() }),
  ratePct: ratePct.when('outcome', { is: 'approved', then: Joi.required(), otherwise: Joi.forbidden() }),
  termMonths: Joi.number().integer().min(1).max(360).when('outcome', { is: 'approved', then: Joi.required(), otherwise: Joi.forbidden() }),
  guaranteeType: Joi.string().valid(...guaranteeTypes).when('outcome', { is: 'approved', then: Joi.required(), otherwise: Joi.forbidden() }),
  aboveRequest: Joi.boolean().description('true when the bank grants more than was asked for'),
  reasonCode: Joi.string().valid(...declineReasons).when('outcome', { is: 'declined', then: Joi.required(), otherwise: Joi.forbidden() }),
  note: Joi.string().trim().max(1000).allow('').when('reasonCode', { is: 'other', then: Joi.string().min(2).required() }),
  firstLoanConfirmed: Joi.boolean(),
}).required()
  .example({ outcome: 'approved', amount: 800000, ratePct: 3.65, termMonths: 12, guaranteeType: 'credit', firstLoanConfirmed: true });

/** A correction of granted terms (SPEC: within 2 working days of the decision): the same bounds as the decision, and why. */
export const amendBody = Joi.object({
  amount: Joi.number().integer().min(1000).max(10_000_000_000),
  ratePct,
  termMonths: Joi.number().integer().min(1).max(360),
  guaranteeType: Joi.string().valid(...guaranteeTypes),
  aboveRequest: Joi.boolean().description('true when the corrected amount is above what was asked for'),
  reason: Joi.string().trim().min(2).max(1000).required().description('why the terms are corrected; kept in the lead\'s history'),
}).or('amount', 'ratePct', 'termMonths', 'guaranteeType').required()
  .example({ ratePct: 4.85, reason: '利率录入有误，按审批书更正' });

export const disburseBody = Joi.object({
  amount: Joi.number().integer().min(1000).max(10_000_000_000).required(),
  disbursedOn: day.required(),
}).required()
  .example({ amount: 800000, disbursedOn: '2026-11-20' });

export const firstLoanBody = Joi.object({ isFirstLoan: Joi.boolean().required() }).required()
  .example({ isFirstLoan: true });

export interface ListLeadsQuery extends Paging {
  status?: LeadStatus;
  from?: Date;
  to?: Date;
  mine?: boolean;
  overdue?: boolean;
  view?: QueueView;
  district?: string;
  productId?: number;
  firstLoan?: boolean;
  q?: string;
  flagged?: boolean;
  branchId?: number;
  bankId?: number;
  since?: number;
}
export interface AmendInput {
  amount?: number;
  ratePct?: number;
  termMonths?: number;
  guaranteeType?: string;
  aboveRequest?: boolean;
  reason: string;
}
export interface DecisionInput {
  outcome: 'approved' | 'declined';
  amount?: number;
  ratePct?: number;
  termMonths?: number;
  guaranteeType?: string;
  aboveRequest?: boolean;
  reasonCode?: DeclineReason;
  note?: string;
  firstLoanConfirmed?: boolean;
}
