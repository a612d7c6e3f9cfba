import type { ApplicationRow } from '../../models/applications';
import type { LeadWithNames } from '../../models/applications-queries';
import { maskName, maskPhone } from '../../server/domain/mask';
import { referenceOf } from '../../server/domain/reference';

/** The applicant's view of a lead: where it is, and the terms once decided. Nothing about bank staff. */
function presentTrackedLead({ lead: l, bankName, productName }: LeadWithNames) {
  return {
    id: l.id,
    bankId: l.bankId,
    bankName,
    productId: l.productId,
    productName,
    status: l.status,
    open: l.open,
    secondLook: l.secondLook,
    createdAt: l.createdAt.toISOString(),
    ...(l.claimedAt ? { claimedAt: l.claimedAt.toISOString() } : {}),
    ...(l.contactedAt ? { contactedAt: l.contactedAt.toISOString() } : {}),
    ...(l.decidedAt ? { decidedAt: l.decidedAt.toISOString() } : {}),
    /** When the bank must accept, contact and decide (SLA), so the page can say it in plain words. */
    deadlines: { acceptDueAt: l.acceptDueAt?.toISOString() ?? null, contactDueAt: l.contactDueAt?.toISOString() ?? null, decisionDueAt: l.decisionDueAt?.toISOString() ?? null },
    ...(l.termsAmount !== null ? { terms: { amount: l.termsAmount, ratePct: Number(l.termsRatePct), termMonths: l.termsMonths, guaranteeType: l.termsGuaranteeType } } : {}),
    ...(l.declineReason ? { declineReason: l.declineReason } : {}),
    ...(l.disbursedAt ? { disbursedAt: l.disbursedAt.toISOString(), disbursedAmount: l.disbursedAmount } : {}),
    ...(l.applicantConfirmation ? { applicantConfirmation: l.applicantConfirmation, applicantNote: l.applicantNote } : {}),
  };
}

/** The tracking answer: status, the masked contact, each lead (SPEC "tracking answer"). */
export function presentTracking(a: ApplicationRow, leadRows: LeadWithNames[], offers: unknown[] = []) {
  const leadsOut = leadRows.map(presentTrackedLead);
  return {
    id: a.id,
    reference: referenceOf(a.id, a.createdAt),
    status: a.status,
    mode: a.mode,
    createdAt: a.createdAt.toISOString(),
    ...(a.withdrawnAt ? { withdrawnAt: a.withdrawnAt.toISOString() } : {}),
    company: { name: a.companySnapshot.name, district: a.companySnapshot.district },
    contact: { name: maskName(a.contactName), phone: maskPhone(a.contactPhone) },
    need: { amount: a.needAmount, termMonths: a.needTermMonths, purpose: a.needPurpose },
    isFirstLoan: a.isFirstLoan,
    leads: leadsOut,
    /** The desk's proposals to send the request to another bank, waiting for the applicant's answer. */
    offers,
    canWithdraw: a.status === 'open' && leadRows.some((l) => ['new', 'claimed', 'contacted'].includes(l.lead.status)),
    canSecondLook: a.status === 'open' && leadRows.some((l) => l.lead.status === 'declined'),
  };
}
