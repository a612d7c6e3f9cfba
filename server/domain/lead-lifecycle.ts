import type { LeadRow, LeadStatus } from '../../models/leads';
import type { Actor } from '../auth';
import { amendDueAt } from '../sla';

/**
 * Every move a lead can make, in one table (SPEC "Lead lifecycle"):
 * new → claimed → contacted → approved | declined → disbursed (approved only);
 * any open state → withdrawn (applicant) or expired (desk).
 * `to: null` keeps the status (reassigning a lead already accepted). `stamp` names the time column set.
 */
export const transitions = {
  claim: { from: ['new'], to: 'claimed', stamp: 'claimedAt' },
  assign: { from: ['new'], to: 'claimed', stamp: 'claimedAt' },
  reassign: { from: ['claimed', 'contacted'], to: null },
  contact: { from: ['claimed'], to: 'contacted', stamp: 'contactedAt' },
  approve: { from: ['contacted'], to: 'approved', stamp: 'decidedAt' },
  decline: { from: ['claimed', 'contacted'], to: 'declined', stamp: 'decidedAt' },
  disburse: { from: ['approved'], to: 'disbursed', stamp: 'disbursedAt' },
  withdraw: { from: ['new', 'claimed', 'contacted'], to: 'withdrawn', stamp: 'closedAt' },
  expire: { from: ['new', 'claimed', 'contacted'], to: 'expired', stamp: 'closedAt' },
} as const satisfies Record<string, { from: readonly LeadStatus[]; to: LeadStatus | null; stamp?: 'claimedAt' | 'contactedAt' | 'decidedAt' | 'disbursedAt' | 'closedAt' }>;

export type LeadAction = keyof typeof transitions;

/** The status after `action`, or undefined when the move is not allowed from `current`. */
export function nextStatus(action: LeadAction, current: LeadStatus): LeadStatus | undefined {
  const t = transitions[action];
  if (!(t.from as readonly LeadStatus[]).includes(current)) return undefined;
  return t.to ?? current;
}

/** Structured reasons a bank may give for declining. `other` needs a note. */
export const declineReasons = [
  'insufficient_history', 'insufficient_revenue', 'credit_record', 'collateral', 'industry_policy', 'unreachable', 'applicant_withdrew', 'other',
] as const;
export type DeclineReason = (typeof declineReasons)[number];

/** Statuses of a lead its bank has accepted (claimed or assigned) and not let go: what counts as "taken". */
export const ACCEPTED_STATES: readonly LeadStatus[] = ['claimed', 'contacted', 'approved', 'declined', 'disbursed'];

/** Statuses of a lead still being worked (what a withdrawal or an expiry closes). */
export const OPEN_STATES: readonly LeadStatus[] = transitions.withdraw.from;

/** Statuses in which the bank holding the lead sees the applicant's contact data: once it has accepted the lead. */
export const CONTACT_VISIBLE: readonly LeadStatus[] = ACCEPTED_STATES;

/** Which deadline a lead has missed and still owes, if any: accept (still new), contact (not yet contacted), decision. */
export const overdueStages = ['accept', 'contact', 'decision'] as const;
export type OverdueStage = (typeof overdueStages)[number];

/**
 * The one meaning of "overdue" (its SQL twin is `overdueStageSql` in models/lead-queries.ts): the first
 * deadline of the current step that has passed without the step being done.
 */
export function overdueStage(l: Pick<LeadRow, 'status' | 'acceptDueAt' | 'contactDueAt' | 'decisionDueAt'>, now: Date): OverdueStage | null {
  if (l.status === 'new' && l.acceptDueAt && l.acceptDueAt < now) return 'accept';
  if (l.status === 'claimed' && l.contactDueAt && l.contactDueAt < now) return 'contact';
  if ((l.status === 'claimed' || l.status === 'contacted') && l.decisionDueAt && l.decisionDueAt < now) return 'decision';
  return null;
}

/** The deadline of the step a lead is in now (what a queue sorts by), or null once no step is owed. */
export function nextDueAt(l: Pick<LeadRow, 'status' | 'acceptDueAt' | 'contactDueAt' | 'decisionDueAt'>): Date | null {
  if (l.status === 'new') return l.acceptDueAt;
  if (l.status === 'claimed') return l.contactDueAt;
  if (l.status === 'contacted') return l.decisionDueAt;
  return null;
}

/** Statuses whose granted terms an amendment corrects. */
const AMENDABLE: readonly LeadStatus[] = ['approved', 'disbursed'];

/** The verbs a caller may be offered: the status moves of `transitions` and the corrections beside them. */
export const leadVerbs = ['claim', 'assign', 'contact', 'approve', 'decline', 'disburse', 'amend', 'confirm_first_loan'] as const;
export type LeadVerb = (typeof leadVerbs)[number];

type LeadFacts = Pick<LeadRow, 'status' | 'bankId' | 'claimedAt' | 'decidedAt' | 'firstLoanConfirmed'>;
type ActorFacts = Pick<Actor, 'role' | 'bankId'>;

/**
 * The one table of who may do what to a lead now, built on `transitions`: bank staff of the lead's
 * bank work it (only a bank admin assigns); the desk and admins read. Routes refuse with 409 what
 * this leaves out, and pages draw their buttons from it.
 */
const rules: Record<LeadVerb, { roles: readonly Actor['role'][]; allowed: (l: LeadFacts, now: Date) => boolean }> = {
  claim: { roles: ['bank_officer', 'bank_admin'], allowed: (l) => nextStatus('claim', l.status) !== undefined },
  assign: { roles: ['bank_admin'], allowed: (l) => nextStatus('assign', l.status) !== undefined || nextStatus('reassign', l.status) !== undefined },
  contact: { roles: ['bank_officer', 'bank_admin'], allowed: (l) => nextStatus('contact', l.status) !== undefined },
  approve: { roles: ['bank_officer', 'bank_admin'], allowed: (l) => nextStatus('approve', l.status) !== undefined },
  decline: { roles: ['bank_officer', 'bank_admin'], allowed: (l) => nextStatus('decline', l.status) !== undefined },
  disburse: { roles: ['bank_officer', 'bank_admin'], allowed: (l) => nextStatus('disburse', l.status) !== undefined },
  amend: { roles: ['bank_officer', 'bank_admin'], allowed: (l, now) => AMENDABLE.includes(l.status) && l.decidedAt !== null && now <= amendDueAt(l.decidedAt) },
  // 征信核实: once the bank has accepted the lead, until it has answered, whatever the status since.
  confirm_first_loan: { roles: ['bank_officer', 'bank_admin'], allowed: (l) => l.claimedAt !== null && l.firstLoanConfirmed === null },
};

/** Whether this caller may perform `verb` on the lead now. */
export function mayDo(verb: LeadVerb, l: LeadFacts, actor: ActorFacts, now: Date): boolean {
  const r = rules[verb];
  return r.roles.includes(actor.role) && actor.bankId === l.bankId && r.allowed(l, now);
}

/** The verbs this caller may perform on the lead now, in the order of the lead's life. */
export function allowedActions(l: LeadFacts, actor: ActorFacts, now: Date): LeadVerb[] {
  return leadVerbs.filter((v) => mayDo(v, l, actor, now));
}
