import Joi from 'joi';
import { channelKinds } from '../../models/channels';
import { answer, int, isoDay, isoTime, mapOf, pageOf } from '../docs/shapes';
import { grantedTerms } from '../leads/responses';
import { leagueSorts } from '../../models/reports';

/** The response schemas of the desk's reports (routes/reports/index.ts and present.ts). */

/** A count from SQL: null only when nothing was in scope to count. */
const count = int.min(0).allow(null);
const pct = Joi.number().allow(null).description('one decimal; null when nothing was due');
const quantiles = answer({ median: Joi.number().allow(null), p90: Joi.number().allow(null) });
const stage = answer({ due: count, met: count, withinSlaPct: pct, workingHours: quantiles, calendarHours: quantiles });

/** presentFigures: counts, percentages (one decimal), hours (two), money in whole CNY. */
const figures = {
  leads: count,
  sla: answer({ accept: stage, contact: stage, decision: stage }),
  overdue: answer({ accept: count, contact: count, decision: count }).description('leads in scope overdue now, by the late step'),
  decided: count, approved: count, approvalRatePct: pct, approvedAmount: int.allow(null), disbursedAmount: int.allow(null),
  avgRatePct: Joi.number().allow(null), avgSpreadBp: int.allow(null),
  firstLoan: answer({ approved: count, amount: int.allow(null) }),
  creditLoanSharePct: pct,
};

/** The range the figures cover and where they were read: live tables, or the daily rollup as of a time. */
const scope = {
  from: isoDay, to: isoDay,
  basis: Joi.alternatives(answer({ source: Joi.string().valid('live') }), answer({ source: Joi.string().valid('rollup'), asOf: isoTime })),
};

export const summaryReportResponse = answer({
  ...scope, applications: int.min(0), firstLoanApplications: int.min(0), ...figures,
  declinesByReason: Joi.array().items(answer({ reason: Joi.string().allow(null), count: int.min(0) })),
  secondLook: answer({ leads: int.min(0), byStatus: mapOf(int.min(0)).description('second-look leads by status') }),
});

export const bankReportResponse = answer({
  ...scope, sort: Joi.string().valid(...Object.keys(leagueSorts)), order: Joi.string().valid('asc', 'desc'),
  items: Joi.array().items(answer({ bankId: int, bankName: Joi.string(), shortName: Joi.string(), ...figures })),
});

export const channelReportResponse = answer({
  ...scope,
  items: Joi.array().items(answer({
    channelId: int, code: Joi.string(), name: Joi.string(), kind: Joi.string().valid(...channelKinds), district: Joi.string().allow(null),
    scans: int.min(0), applications: int.min(0), leads: int.min(0), approved: int.min(0), disbursed: int.min(0),
  })),
});

export const trendReportResponse = answer({
  ...scope,
  items: Joi.array().items(answer({ week: isoDay.description('its Monday'), applications: int.min(0), leads: int.min(0), approved: int.min(0), approvedAmount: int.min(0) })),
});

/** presentAmendment: the terms before and after and the bank's reason. */
export const amendmentReportResponse = pageOf(answer({
  leadId: int, bankId: int, bankName: Joi.string(), productName: Joi.string(), at: isoTime, actorId: int.allow(null),
  reason: Joi.string().allow(null), before: grantedTerms.allow(null), after: grantedTerms.allow(null),
}), { from: isoDay, to: isoDay });
