import Joi from 'joi';
import { productStatuses, productTypes } from '../../server/domain/catalogue';
import { answer, int, isoDay, isoTime, pageOf } from '../docs/shapes';

/** The response schemas of routes/products/present.ts. */

const range = (of: Joi.Schema) => answer({ min: of, max: of });

export const productResponse = answer({
  id: int, bankId: int, bankCode: Joi.string(), bankName: Joi.string(), bankShortName: Joi.string(), code: Joi.string(), version: int,
  status: Joi.string().valid(...productStatuses),
  name: Joi.string(), type: Joi.string().valid(...productTypes), amount: range(int), termMonths: range(int), rate: range(Joi.number()),
  repaymentMethods: Joi.array().items(Joi.string()), guaranteeTypes: Joi.array().items(Joi.string()), approvalDays: int.allow(null),
  firstLoanFriendly: Joi.boolean(), criteria: Joi.object().unknown().description('eligibility criteria (see POST /api/products)'),
  description: Joi.string().allow(null, ''), materials: Joi.array().items(Joi.string()).allow(null),
  rateSpreadBp: range(int).description('the rate range over the 1-year LPR in force, in basis points'),
  lpr: answer({ ratePct: Joi.number(), since: isoDay }),
  supersededById: int.allow(null), publishedAt: isoTime.allow(null), retiredAt: isoTime.allow(null), createdAt: isoTime, updatedAt: isoTime,
  review: answer({ action: Joi.string(), comment: Joi.string().allow(null, ''), at: isoTime, resubmitted: Joi.boolean() }).allow(null)
    .description("the desk's latest return of this draft, if it was returned"),
});
export const productListResponse = pageOf(productResponse);

export const productReviewResponse = answer({
  id: int, productId: int, version: int, action: Joi.string(), comment: Joi.string().allow(null, ''),
  actor: Joi.any().description('who reviewed'), at: isoTime,
});
export const productReviewsResponse = pageOf(productReviewResponse);

/** One row of a JSON export (routes/products/present.ts exportRow): the shape POST /api/products/import takes back. */
export const productExportRow = answer({
  bankCode: Joi.string(), code: Joi.string(), status: Joi.string().valid('draft', 'published').description('retired versions export as drafts'),
  name: Joi.string(), type: Joi.string().valid(...productTypes), amount: range(int), termMonths: range(int), rate: range(Joi.number()),
  repaymentMethods: Joi.array().items(Joi.string()), guaranteeTypes: Joi.array().items(Joi.string()), approvalDays: int.allow(null),
  firstLoanFriendly: Joi.boolean(), criteria: Joi.object().unknown(), description: Joi.string().allow(null, ''), materials: Joi.array().items(Joi.string()).allow(null),
});
export const productExportResponse = answer({ exportedAt: isoTime, total: int.min(0), items: Joi.array().items(productExportRow) });

/** server/commands/import-products.ts ImportSummary: rows read, and what each did. */
export const productImportResponse = answer({ total: int.min(0), created: int.min(0), updated: int.min(0), unchanged: int.min(0) });
