import Joi from 'joi';
import { reassignmentStatuses } from '../../models/reassignments';
import { answer, int, isoTime, pageOf } from '../docs/shapes';
import { leadSummaryResponse } from '../leads/responses';
import { matchedProduct } from '../match/responses';

/** The response schemas of routes/reassignments/present.ts. */

/** presentOffer: a reassignment made or offered. */
export const reassignmentResponse = answer({
  id: int, leadId: int, applicationId: int, status: Joi.string().valid(...reassignmentStatuses), toBankId: int, bankName: Joi.string(),
  toProductId: int, productName: Joi.string(), note: Joi.string().allow(null, ''), createdAt: isoTime, resolvedAt: isoTime.allow(null),
  newLeadId: int.allow(null).description('the lead at the new bank, once handed over'),
});
export const reassignmentListResponse = pageOf(reassignmentResponse);

/** presentCancelled. */
export const reassignmentCancelledResponse = answer({ id: int, status: Joi.string().valid(...reassignmentStatuses), resolvedAt: isoTime.allow(null) });

/** presentQueueItem: an escalated lead, the offer waiting and the banks it could go to. */
export const reassignmentQueueItem = leadSummaryResponse.keys({
  escalatedAt: isoTime,
  need: answer({ amount: int, termMonths: int }),
  offer: reassignmentResponse.allow(null),
  candidates: Joi.array().items(answer({ product: matchedProduct, score: int.min(0).max(100), consentOnFile: Joi.boolean() })),
});
export const reassignmentQueueResponse = pageOf(reassignmentQueueItem);
