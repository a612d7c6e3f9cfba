import { addWorkingMs, CalendarGapError } from '../domain/calendar';
import type { DeclineReason } from '../domain/lead-lifecycle';
import type { LeadStatus } from '../../models/leads';
import { DEFAULT_SLA } from '../../models/sla';
import { deadlinesFor, span, type Deadlines } from '../sla';
import type { Random } from './random';

const HOUR = 3_600_000;

export interface DemoProduct {
  id: number;
  bankId: number;
  type: string;
  amountMax: number;
  rateMin: number;
  rateMax: number;
  guaranteeTypes: string[];
}

/** How one bank behaves: its typical hours to accept, and how often it lets a lead lapse. */
export interface BankHabit {
  acceptMedianHours: number;
  lapse: number;
  approval: number;
}

export interface DemoEvent {
  at: Date;
  action: string;
  from: LeadStatus | null;
  to: LeadStatus;
  note?: string;
}

/** A lead's state at `now` and how it got there, simulated from its creation. */
export interface DemoLead extends Deadlines {
  status: LeadStatus;
  claimedAt: Date | null;
  contactedAt: Date | null;
  decidedAt: Date | null;
  disbursedAt: Date | null;
  closedAt: Date | null;
  escalatedAt: Date | null;
  acceptWorkingHours: number | null;
  contactWorkingHours: number | null;
  decisionWorkingHours: number | null;
  termsAmount: number | null;
  termsRatePct: string | null;
  termsMonths: number | null;
  termsGuaranteeType: string | null;
  declineReason: DeclineReason | null;
  decisionNote: string | null;
  firstLoanConfirmed: boolean | null;
  disbursedOn: string | null;
  disbursedAmount: number | null;
  events: DemoEvent[];
}

const declineWeights: [DeclineReason, number][] = [
  ['insufficient_revenue', 28], ['insufficient_history', 20], ['credit_record', 16], ['collateral', 14],
  ['industry_policy', 6], ['unreachable', 8], ['applicant_withdrew', 5], ['other', 3],
];

/** `hours` of working time after `from`; past the loaded holiday calendars, weekdays stretched to calendar time. */
function working(from: Date, hours: number): Date {
  try {
    return addWorkingMs(from, hours * HOUR);
  } catch (err) {
    if (!(err instanceof CalendarGapError)) throw err;
    return new Date(from.getTime() + (hours * HOUR * 7) / 5);
  }
}
const hoursOf = (from: Date, to: Date | null) => (to ? span(from, to)!.workingHours : null);
const shanghaiDay = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 10);

/**
 * Plays one lead forward from `createdAt` with plausible delays (log-normal working hours) and
 * outcomes, stopping at `now`; `withdrawAt` is when the applicant withdrew the whole request, if ever.
 */
export function simulateLead(r: Random, o: {
  createdAt: Date; now: Date; product: DemoProduct; habit: BankHabit; need: { amount: number; termMonths: number };
  isFirstLoan: boolean; withdrawAt: Date | null;
}): DemoLead {
  const { createdAt, now, product, habit } = o;
  const lead: DemoLead = {
    ...deadlinesFor(createdAt, DEFAULT_SLA), status: 'new', claimedAt: null, contactedAt: null, decidedAt: null, disbursedAt: null,
    closedAt: null, escalatedAt: null, acceptWorkingHours: null, contactWorkingHours: null, decisionWorkingHours: null,
    termsAmount: null, termsRatePct: null, termsMonths: null, termsGuaranteeType: null, declineReason: null, decisionNote: null,
    firstLoanConfirmed: null, disbursedOn: null, disbursedAmount: null, events: [{ at: createdAt, action: 'created', from: null, to: 'new' }],
  };
  const move = (at: Date, action: string, to: LeadStatus, note?: string) => {
    lead.events.push({ at, action, from: lead.status, to, note });
    lead.status = to;
  };
  const happened = (at: Date) => at <= now && (!o.withdrawAt || at < o.withdrawAt);
  const closeByApplicant = () => {
    if (o.withdrawAt && o.withdrawAt <= now && ['new', 'claimed', 'contacted'].includes(lead.status)) {
      lead.closedAt = o.withdrawAt;
      move(o.withdrawAt, 'withdraw', 'withdrawn');
    }
    return lead;
  };

  if (r.chance(habit.lapse)) {
    // Never accepted: handed back to the desk at the escalation deadline, then closed by the desk.
    if (happened(lead.escalateAt)) lead.escalatedAt = lead.escalateAt;
    const closed = working(lead.escalateAt, r.logNormal(20, 0.6));
    if (happened(closed)) {
      lead.closedAt = closed;
      move(closed, 'expire', 'expired', 'closed by the financing desk after no bank response');
    }
    return closeByApplicant();
  }
  const claimedAt = working(createdAt, Math.min(200, r.logNormal(habit.acceptMedianHours, 0.9)));
  if (!happened(claimedAt)) return closeByApplicant();
  lead.claimedAt = claimedAt;
  lead.acceptWorkingHours = hoursOf(createdAt, claimedAt);
  move(claimedAt, 'claim', 'claimed');

  const contactedAt = working(claimedAt, Math.min(150, r.logNormal(5, 0.8)));
  if (!happened(contactedAt)) return closeByApplicant();
  lead.contactedAt = contactedAt;
  lead.contactWorkingHours = hoursOf(createdAt, contactedAt);
  move(contactedAt, 'contact', 'contacted', '已电话联系，约定上门');

  const decidedAt = working(contactedAt, Math.min(400, r.logNormal(40, 0.7)));
  if (!happened(decidedAt)) return closeByApplicant();
  lead.decidedAt = decidedAt;
  lead.decisionWorkingHours = hoursOf(createdAt, decidedAt);
  lead.firstLoanConfirmed = o.isFirstLoan ? r.chance(0.9) : false;
  if (!r.chance(habit.approval)) {
    lead.declineReason = r.weighted(declineWeights);
    lead.decisionNote = lead.declineReason === 'other' ? '经营场所与申报不符' : null;
    move(decidedAt, 'decline', 'declined');
    return lead;
  }
  const amount = Math.min(product.amountMax, Math.max(100_000, Math.round((o.need.amount * (0.5 + r.next() * 0.5)) / 10_000) * 10_000));
  lead.termsAmount = amount;
  lead.termsRatePct = (product.rateMin + r.next() * (product.rateMax - product.rateMin)).toFixed(2);
  lead.termsMonths = o.need.termMonths;
  lead.termsGuaranteeType = r.pick(product.guaranteeTypes.length ? product.guaranteeTypes : ['credit']);
  move(decidedAt, 'approve', 'approved');

  const disbursedAt = new Date(decidedAt.getTime() + r.logNormal(4, 0.6) * 24 * HOUR);
  if (disbursedAt > now || !r.chance(0.88)) return lead;
  lead.disbursedAt = disbursedAt;
  lead.disbursedOn = shanghaiDay(disbursedAt);
  lead.disbursedAmount = amount;
  move(disbursedAt, 'disburse', 'disbursed');
  return lead;
}
