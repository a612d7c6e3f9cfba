import type { Actor } from '../../server/auth';
import { seesContact, seesFlags } from '../../server/policies';
import { maskName, maskPhone } from '../../server/domain/mask';
import type { LeadEventRow } from '../../models/leads';
import { allowedActions, nextDueAt, overdueStage } from '../../server/domain/lead-lifecycle';
import { amendDueAt, responseTimes, span } from '../../server/sla';
import type { consents } from '../../models/applications';
import type { MatchResult } from '../../matchers/matcher';
import type { LeadWithApplication } from '../../models/lead-queries';


/** The SLA clock of the step the lead is in: time left (negative once late) in working and calendar hours. */
function slaClock(l: LeadWithApplication['lead'], now: Date) {
  const due = nextDueAt(l);
  if (!due) return null;
  const stage = l.status === 'new' ? 'accept' : l.status === 'claimed' ? 'contact' : 'decision';
  const left = span(now, due)!;
  return { stage, dueAt: due.toISOString(), workingHoursLeft: Number.isFinite(left.workingHours) ? left.workingHours : null, calendarHoursLeft: left.calendarHours };
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
    nextDueAt: nextDueAt(l)?.toISOString() ?? null,
    clock: slaClock(l, now),
    overdue: overdueStage(l, now),
    actions: allowedActions(l, actor, now),
    responseTimes: responseTimes(l),
    claimedAt: l.claimedAt?.toISOString() ?? null,
    contactedAt: l.contactedAt?.toISOString() ?? null,
    decidedAt: l.decidedAt?.toISOString() ?? null,
    disbursedAt: l.disbursedAt?.toISOString() ?? null,
  };
}

/** Decision terms as the API writes them. */
export interface Terms {
  amount: number | null;
  ratePct: number | null;
  termMonths: number | null;
  guaranteeType: string | null;
}

/** What an `amended` event keeps in its note: the reason and the terms before and after. */
export interface Amendment {
  reason: string;
  before: Terms;
  after: Terms;
}

export function presentEvent(e: LeadEventRow) {
  const base = { id: e.id, at: e.at.toISOString(), actorType: e.actorType, actorId: e.actorId, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note };
  if (e.action !== 'amended' || !e.note) return base;
  const a = JSON.parse(e.note) as Amendment;
  return { ...base, note: a.reason, before: a.before, after: a.after };
}

/** Extra facts of the full lead: the consent given to its bank, and how its product judged the company. */
export interface LeadExtras {
  consent: typeof consents.$inferSelect | undefined;
  match: MatchResult;
  /** Whether `match` was recomputed from the stored snapshots (nothing was stored at submission). */
  matchRecomputed: boolean;
}

/** The company as the bank reads it: every declared field, 未知 for a tax rating the owner did not know, the MIIT size class. */
function presentCompany(a: LeadWithApplication['application']) {
  const c = a.companySnapshot;
  return {
    uscc: c.uscc ?? null, name: c.name ?? null, district: c.district ?? null, industry: c.industry ?? null, establishedOn: c.establishedOn ?? null,
    employees: c.employees ?? null, annualRevenue: c.annualRevenue ?? null, totalAssets: c.totalAssets ?? null,
    taxRating: c.taxRating ?? 'unknown', hasBankLoan: c.hasBankLoan ?? null, overdueCount: c.overdueCount ?? null,
    collateral: c.collateral ?? [], guaranteeAvailable: c.guaranteeAvailable ?? null,
    certifications: c.certifications ?? null,
    size: a.companySize,
  };
}

/** The lead in full: the company as declared, the product version, decision; contact unmasked only when allowed. */
export function presentLeadDetail(r: LeadWithApplication, actor: Actor, events: LeadEventRow[], now: Date, extras: LeadExtras) {
  const { lead: l, application: a } = r;
  const unmasked = seesContact(actor, l);
  const { consent, match } = extras;
  return {
    ...presentLeadSummary(r, actor, now),
    contact: unmasked ? { name: a.contactName, phone: a.contactPhone, masked: false } : { name: maskName(a.contactName), phone: maskPhone(a.contactPhone), masked: true },
    // Leads reach only the reader's own bank (or the desk and admins): the company is the bank's to read in full, contact aside.
    company: presentCompany(a),
    consent: consent ? { version: consent.version, purpose: consent.purpose, grantedAt: consent.grantedAt.toISOString() } : null,
    match: { eligible: match.eligible, score: match.score, reasons: match.reasons, hints: match.hints, recomputed: extras.matchRecomputed },
    amendableUntil: l.decidedAt && l.termsAmount !== null ? amendDueAt(l.decidedAt).toISOString() : null,
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
