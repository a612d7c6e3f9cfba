import Joi from 'joi';
import { leadStatuses } from '../../models/leads';
import { leadVerbs } from '../../server/domain/lead-lifecycle';
import { answer, int, isoDay, isoTime, pageOf } from '../docs/shapes';
import { matchReason } from '../match/responses';

/** The response schemas of routes/leads/present.ts (what bank systems generate clients from). */

const time = isoTime.allow(null);
const stage = Joi.string().valid('accept', 'contact', 'decision');
const span = answer({ workingHours: Joi.number().allow(null), calendarHours: Joi.number() }).allow(null);
export const grantedTerms = answer({ amount: int, ratePct: Joi.number(), termMonths: int, guaranteeType: Joi.string().allow(null) });

export const leadSummaryResponse = answer({
  id: int, applicationId: int, bankId: int, bankName: Joi.string(), productId: int, productName: Joi.string().allow(null),
  status: Joi.string().valid(...leadStatuses), open: Joi.boolean(), secondLook: Joi.boolean(), branchId: int.allow(null), officerId: int.allow(null),
  company: answer({ name: Joi.string(), district: Joi.string(), industry: Joi.string() }),
  need: answer({ amount: int, termMonths: int, purpose: Joi.string().allow('') }),
  contact: answer({ name: Joi.string(), phone: Joi.string() }).description('masked'),
  isFirstLoan: Joi.boolean().allow(null), firstLoanConfirmed: Joi.boolean().allow(null),
  flaggedBroker: Joi.boolean().optional().description('desk and admin only'), secondContact: Joi.boolean().optional().description('desk and admin only'),
  flagReason: Joi.string().allow(null).optional().description('desk and admin only'),
  createdAt: isoTime,
  deadlines: answer({ acceptDueAt: time, contactDueAt: time, decisionDueAt: time, escalateAt: time }),
  nextDueAt: time,
  clock: answer({ stage, dueAt: isoTime, workingHoursLeft: Joi.number().allow(null), calendarHoursLeft: Joi.number() }).allow(null),
  overdue: stage.allow(null),
  actions: Joi.array().items(Joi.string().valid(...leadVerbs)).description('what this caller may do to the lead now'),
  responseTimes: answer({ accept: span, contact: span, decision: span }).description('from the request to each step, once reached'),
  claimedAt: time, contactedAt: time, decidedAt: time, disbursedAt: time,
});

export const leadListResponse = pageOf(leadSummaryResponse, { counts: answer({ mine: int, claimable: int, all: int }).optional() });

export const leadEventResponse = answer({
  id: int, at: isoTime, actorType: Joi.string(), actorId: int.allow(null), action: Joi.string(),
  fromStatus: Joi.string().valid(...leadStatuses).allow(null), toStatus: Joi.string().valid(...leadStatuses).allow(null), note: Joi.string().allow(null, ''),
  before: grantedTerms.optional().description('amended events: the terms before'), after: grantedTerms.optional().description('amended events: the terms after'),
});
export const leadEventsResponse = answer({ items: Joi.array().items(leadEventResponse) });

export const leadDetailResponse = leadSummaryResponse.keys({
  contact: answer({ name: Joi.string(), phone: Joi.string(), masked: Joi.boolean() }),
  company: answer({
    uscc: Joi.string().allow(null), name: Joi.string().allow(null), district: Joi.string().allow(null), industry: Joi.string().allow(null),
    establishedOn: isoDay.allow(null), employees: int.allow(null), annualRevenue: int.allow(null), totalAssets: int.allow(null),
    taxRating: Joi.string(), hasBankLoan: Joi.boolean().allow(null), overdueCount: int.allow(null), collateral: Joi.array().items(Joi.string()),
    guaranteeAvailable: Joi.boolean().allow(null), certifications: Joi.array().items(Joi.string()).allow(null), size: Joi.string().allow(null),
  }),
  consent: answer({ version: Joi.string(), purpose: Joi.string(), grantedAt: isoTime }).allow(null),
  match: answer({ eligible: Joi.boolean(), score: Joi.number(), reasons: Joi.array().items(matchReason), hints: Joi.array().items(Joi.any()), recomputed: Joi.boolean() }),
  amendableUntil: time,
  product: Joi.object().unknown().description('the product version as it was when the request was made'),
  terms: grantedTerms.allow(null),
  declineReason: Joi.string().allow(null), decisionNote: Joi.string().allow(null, ''),
  disbursement: answer({ amount: int, disbursedOn: isoDay }).allow(null),
  applicantConfirmation: Joi.string().allow(null), applicantNote: Joi.string().allow(null, ''),
  events: Joi.array().items(leadEventResponse),
});

/** `?since=`: the bank's change feed, the webhook deliveries again (see LeadDelivery). */
export const leadFeedResponse = answer({
  items: Joi.array().items(answer({ cursor: int, deliveryId: Joi.string(), at: isoTime }).unknown()),
  nextCursor: int, hasMore: Joi.boolean(),
});
export const leadsResponse = Joi.alternatives().try(leadListResponse, leadFeedResponse);
