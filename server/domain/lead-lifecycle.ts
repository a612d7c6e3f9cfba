import type { LeadStatus } from '../../models/leads';

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

/** Statuses in which the bank holding the lead sees the applicant's contact data. */
export const CONTACT_VISIBLE: readonly LeadStatus[] = ['claimed', 'contacted', 'approved', 'declined', 'disbursed'];
