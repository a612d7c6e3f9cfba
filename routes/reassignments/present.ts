import type { MatchResult } from '../../matchers/matcher';
import type { Actor } from '../../server/auth';
import type { LeadWithApplication } from '../../models/lead-queries';
import type { OfferWithNames } from '../../models/reassignment-queries';
import type { ReassignmentRow } from '../../models/reassignments';
import { presentLeadSummary } from '../leads/present';

export function presentOffer(o: ReassignmentRow, bankName: string, productName: string) {
  return {
    id: o.id, leadId: o.leadId, applicationId: o.applicationId, status: o.status, toBankId: o.toBankId, bankName, toProductId: o.toProductId, productName,
    note: o.note, createdAt: o.createdAt.toISOString(), resolvedAt: o.resolvedAt?.toISOString() ?? null, newLeadId: o.newLeadId,
  };
}

/** An offer as the applicant sees it on the tracking page. */
export function presentPendingOffer({ offer, bankName, productName }: OfferWithNames) {
  return { id: offer.id, leadId: offer.leadId, bankId: offer.toBankId, bankName, productId: offer.toProductId, productName, createdAt: offer.createdAt.toISOString() };
}

/** A cancelled offer, briefly. */
export function presentCancelled(o: ReassignmentRow) {
  return { id: o.id, status: o.status, resolvedAt: o.resolvedAt?.toISOString() ?? null };
}

/** One row of the desk's queue: the lead, its company and need, the offer waiting (if any) and the banks it could go to. */
export function presentQueueItem(r: LeadWithApplication, actor: Actor, now: Date, offer: OfferWithNames | undefined, candidates: { product: MatchResult['product']; score: number; consentOnFile: boolean }[]) {
  return {
    ...presentLeadSummary(r, actor, now),
    escalatedAt: r.lead.escalatedAt!.toISOString(),
    company: { name: r.application.companySnapshot.name, district: r.application.companySnapshot.district, industry: r.application.companySnapshot.industry },
    need: { amount: r.application.needAmount, termMonths: r.application.needTermMonths },
    offer: offer ? presentOffer(offer.offer, offer.bankName, offer.productName) : null,
    candidates,
  };
}
