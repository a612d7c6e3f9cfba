import type { Actor } from '../../server/auth';
import { seesContact, seesFlags } from '../../server/policies';
import { maskName, maskPhone } from '../../server/domain/mask';
import type { LeadEventRow, LeadRow } from '../../models/leads';
import { responseTimes } from '../../server/sla';
import type { LeadWithApplication } from '../../models/lead-queries';

/** The first deadline this lead has missed, if any: accept (still new), contact (not yet contacted), decision. */
export function overdueStage(l: LeadRow, now: Date): 'accept' | 'contact' | 'decision' | null {
  if (l.status === 'new' && l.acceptDueAt && l.acceptDueAt < now) return 'accept';
  if (l.status === 'claimed' && l.contactDueAt && l.contactDueAt < now) return 'contact';
  if ((l.status === 'claimed' || l.status === 'contacted') && l.decisionDueAt && l.decisionDueAt < now) return 'decision';
  return null;
}

export function presentLeadSummary({ lead: l, application: a, bankName }: LeadWithApplication, actor: Actor, now: Date) {
  const snapshot = l.productSnapshot as { name?: string };
  return {
    id: l.id,
    applicationId: l.applicationId,
    bankId: l.bankId,
    bankName,
    productId: l.productId,
    productName: snapshot.name ?? null,
    status: l.status,
    open: l.open,
    secondLook: l.secondLook,
    branchId: l.branchId,
    officerId: l.officerId,
    company: { name: a.companySnapshot.name, district: a.companySnapshot.district, industry: a.companySnapshot.industry },
    need: { amount: a.needAmount, termMonths: a.needTermMonths, purpose: a.needPurpose },
    contact: { name: maskName(a.contactName), phone: maskPhone(a.contactPhone) },
    isFirstLoan: a.isFirstLoan,
    firstLoanConfirmed: l.firstLoanConfirmed,
    ...(seesFlags(actor) ? { flaggedBroker: a.flaggedBroker, secondContact: a.secondContact, flagReason: a.flagReason } : {}),
    createdAt: l.createdAt.toISOString(),
    deadlines: { acceptDueAt: l.acceptDueAt?.toISOString() ?? null, contactDueAt: l.contactDueAt?.toISOString() ?? null, decisionDueAt: l.decisionDueAt?.toISOString() ?? null, escalateAt: l.escalateAt?.toISOString() ?? null },
    overdue: overdueStage(l, now),
    responseTimes: responseTimes(l),
    claimedAt: l.claimedAt?.toISOString() ?? null,
    contactedAt: l.contactedAt?.toISOString() ?? null,
    decidedAt: l.decidedAt?.toISOString() ?? null,
    disbursedAt: l.disbursedAt?.toISOString() ?? null,
  };
}

export function presentEvent(e: LeadEventRow) {
  return { id: e.id, at: e.at.toISOString(), actorType: e.actorType, actorId: e.actorId, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note };
}

/** The lead in full: the company as declared, the product version, decision; contact unmasked only when allowed. */
export function presentLeadDetail(r: LeadWithApplication, actor: Actor, events: LeadEventRow[], now: Date) {
  const { lead: l, application: a } = r;
  const unmasked = seesContact(actor, l);
  return {
    ...presentLeadSummary(r, actor, now),
    contact: unmasked ? { name: a.contactName, phone: a.contactPhone, masked: false } : { name: maskName(a.contactName), phone: maskPhone(a.contactPhone), masked: true },
    company: unmasked || actor.role === 'desk' || actor.role === 'admin' ? a.companySnapshot : { name: a.companySnapshot.name, district: a.companySnapshot.district, industry: a.companySnapshot.industry },
    product: l.productSnapshot,
    terms: l.termsAmount === null ? null : { amount: l.termsAmount, ratePct: Number(l.termsRatePct), termMonths: l.termsMonths, guaranteeType: l.termsGuaranteeType },
    declineReason: l.declineReason,
    decisionNote: l.decisionNote,
    disbursement: l.disbursedAmount === null ? null : { amount: l.disbursedAmount, disbursedOn: l.disbursedOn },
    applicantConfirmation: l.applicantConfirmation,
    applicantNote: l.applicantNote,
    events: events.map(presentEvent),
  };
}
