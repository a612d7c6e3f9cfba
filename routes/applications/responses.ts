import Joi from 'joi';
import { applicationStatuses } from '../../models/applications';
import { leadStatuses } from '../../models/leads';
import { answer, int, isoTime } from '../docs/shapes';
import { matchedProduct } from '../match/responses';

/** The response schemas of the applicant's answers (routes/applications/present.ts and submit.ts). */

const leadStatus = Joi.string().valid(...leadStatuses);
const time = isoTime.allow(null);

export const submissionResponse = answer({
  id: int, reference: Joi.string(), trackingToken: Joi.string(), trackingUrl: Joi.string().description('the applicant\'s page; keep it, or recover it by lookup'),
  leads: Joi.array().items(answer({ id: int, bankId: int, productId: int, status: leadStatus })),
});

const trackedLead = answer({
  id: int, bankId: int, bankName: Joi.string(), productId: int, productName: Joi.string(), status: leadStatus, open: Joi.boolean(), secondLook: Joi.boolean(),
  createdAt: isoTime, claimedAt: isoTime.optional(), contactedAt: isoTime.optional(), decidedAt: isoTime.optional(),
  deadlines: answer({ acceptDueAt: time, contactDueAt: time, decisionDueAt: time }),
  terms: answer({ amount: int, ratePct: Joi.number(), termMonths: int, guaranteeType: Joi.string().allow(null) }).optional(),
  declineReason: Joi.string().optional(), disbursedAt: isoTime.optional(), disbursedAmount: int.allow(null).optional(),
  applicantConfirmation: Joi.string().optional(), applicantNote: Joi.string().allow(null, '').optional(),
});

export const trackingResponse = answer({
  id: int, reference: Joi.string(), status: Joi.string().valid(...applicationStatuses), mode: Joi.string().valid('chosen', 'open'), createdAt: isoTime,
  withdrawnAt: isoTime.optional(),
  company: answer({ name: Joi.string(), district: Joi.string() }),
  contact: answer({ name: Joi.string(), phone: Joi.string() }).description('masked'),
  need: answer({ amount: int, termMonths: int, purpose: Joi.string().allow('') }),
  isFirstLoan: Joi.boolean().allow(null),
  leads: Joi.array().items(trackedLead),
  offers: Joi.array().items(answer({ id: int, leadId: int, bankId: int, bankName: Joi.string(), productId: int, productName: Joi.string(), createdAt: isoTime }))
    .description("the desk's proposals of another bank, waiting for the applicant (answer with POST …/offers/{offerId})"),
  canWithdraw: Joi.boolean(), canSecondLook: Joi.boolean(),
  messages: Joi.array().items(answer({ text: Joi.string(), sentAt: isoTime })).optional().description('the SMS sent to the applicant about this request'),
});

export const consentTextResponse = answer({ purpose: Joi.string(), shared: Joi.string(), recipients: Joi.string(), retention: Joi.string(), withdraw: Joi.string() });

export const consentResponse = answer({
  version: Joi.string().description('quote it in consent.version'), retentionDays: int,
  text: answer({ zh: consentTextResponse, en: consentTextResponse }),
  phoneVerification: Joi.string().valid('required', 'off'),
});

/** A verified phone's requests of the last 180 days, with their tracking links. */
export const lookupResponse = answer({
  items: Joi.array().items(answer({ id: int, reference: Joi.string(), createdAt: isoTime, status: Joi.string().valid(...applicationStatuses), trackingUrl: Joi.string() })),
});

/** GET second-look: eligible products at banks this request has not reached yet. */
export const secondLookOptionsResponse = answer({ items: Joi.array().items(answer({ product: matchedProduct, score: int.min(0).max(100) })) });
