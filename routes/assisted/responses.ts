import Joi from 'joi';
import { assistedStatuses } from '../../models/assisted';
import { answer, int, isoDay, isoTime, pageOf } from '../docs/shapes';
import { consentTextResponse } from '../applications/responses';

/** The response schemas of routes/assisted/present.ts and the assisted report. */

const status = Joi.string().valid(...assistedStatuses);
const recipient = answer({ bankId: int, bankName: Joi.string(), productId: int, productName: Joi.string() });

/** presentAssisted: a filed request as the desk lists it; the 202 of filing also carries the owner's link. */
export const assistedResponse = answer({
  id: int, status, createdAt: isoTime, expiresAt: isoTime.description('72 hours to consent'), confirmedAt: isoTime.allow(null), applicationId: int.allow(null),
  companyName: Joi.string(), uscc: Joi.string(), phone: Joi.string().description('masked'), recipients: Joi.array().items(recipient),
  assistedBy: answer({ id: int, name: Joi.string().allow(null) }),
  consentUrl: Joi.string().optional().description("when filed: the owner's consent page, also sent to their phone"),
});
export const assistedListResponse = pageOf(assistedResponse);

const tally = { filed: int.min(0), confirmed: int.min(0), lapsed: int.min(0), awaiting: int.min(0), leads: int.min(0) };
export const assistedReportResponse = answer({
  from: isoDay, to: isoDay, ...tally,
  byStaff: Joi.array().items(answer({ userId: int, name: Joi.string(), ...tally })),
});

/** presentConsentRequest: what the owner is asked, the contact masked (the link may be forwarded). */
export const consentRequestResponse = answer({
  id: int, status, createdAt: isoTime, expiresAt: isoTime,
  company: answer({ name: Joi.string(), uscc: Joi.string() }),
  contact: answer({ name: Joi.string(), phone: Joi.string() }).description('masked'),
  need: Joi.object({ amount: int.required(), termMonths: int.required(), purpose: Joi.string().allow('') }),
  mode: Joi.string().valid('chosen', 'open'),
  recipients: Joi.array().items(recipient),
  consent: answer({ version: Joi.string(), retentionDays: int, text: answer({ zh: consentTextResponse, en: consentTextResponse }) }),
  assistedBy: Joi.string().allow(null).description('who at the desk filled it in'),
});
