import type { FamilyReview, ProductReviewRow } from '../../models/product-reviews';
import { productFields, type ProductWithBank } from '../../models/products';
import { lprOn, spreadBp } from '../../server/domain/lpr';
import type { ProductRowInput } from './schema';

/**
 * Where a draft stands with the desk, when its latest review returned it: the comment, and whether the
 * bank has changed the draft since (then it is back in review, resubmitted).
 */
function returnedReview(p: ProductWithBank['product'], latest: ProductReviewRow | undefined) {
  if (p.status !== 'draft' || latest?.action !== 'returned') return null;
  return { action: latest.action, comment: latest.comment, at: latest.createdAt.toISOString(), resubmitted: p.updatedAt > latest.createdAt };
}

/**
 * A product version as the API shows it, with the rate range also as a spread over the 1-year LPR
 * in force on `on` (in whole basis points), and `latestReview` of the version when there is one.
 */
export function presentProduct({ product: p, bank }: ProductWithBank, on: Date, latestReview?: ProductReviewRow) {
  const f = productFields(p);
  const lpr = lprOn(on);
  return {
    id: p.id,
    bankId: p.bankId,
    bankCode: bank.code,
    bankName: bank.name,
    bankShortName: bank.shortName,
    code: p.code,
    version: p.version,
    status: p.status,
    ...f,
    rateSpreadBp: { min: spreadBp(p.rateMin, on), max: spreadBp(p.rateMax, on) },
    lpr: { ratePct: lpr.ratePct, since: lpr.since },
    supersededById: p.supersededById,
    publishedAt: p.publishedAt?.toISOString() ?? null,
    retiredAt: p.retiredAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    review: returnedReview(p, latestReview),
  };
}

/** One entry of a product's review history. */
export function presentReview({ review: r, version, actor }: FamilyReview) {
  return { id: r.id, productId: r.productId, version, action: r.action, comment: r.comment, actor, at: r.createdAt.toISOString() };
}

/** A version as one row of an export file, the shape import takes back. */
export function exportRow({ product: p, bank }: ProductWithBank): ProductRowInput {
  return {
    bankCode: bank.code,
    code: p.code,
    // Retired versions export as drafts: importing a file never resurrects a withdrawn product as live.
    status: p.status === 'published' ? 'published' : 'draft',
    ...productFields(p),
  };
}
