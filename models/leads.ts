import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { applications } from './applications';
import { banks, branches } from './banks';
import { products } from './products';
import { users } from './users';

export const leadStatuses = ['new', 'claimed', 'contacted', 'approved', 'declined', 'disbursed', 'withdrawn', 'expired'] as const;
export type LeadStatus = (typeof leadStatuses)[number];

/** One application's request to one bank, for one product version (kept as a snapshot). */
export const leads = pgTable('leads', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  applicationId: integer('application_id').notNull().references(() => applications.id),
  bankId: integer('bank_id').notNull().references(() => banks.id),
  productId: integer('product_id').notNull().references(() => products.id),
  productSnapshot: jsonb('product_snapshot').notNull(),
  /** An open request (抢单): shown without contact data until this bank claims it. */
  open: boolean('open').notNull().default(false),
  /** Sent after a decline, to the next bank (second look). */
  secondLook: boolean('second_look').notNull().default(false),
  branchId: integer('branch_id').references(() => branches.id),
  officerId: integer('officer_id').references(() => users.id),
  status: text('status').$type<LeadStatus>().notNull().default('new'),
  claimedAt: timestamp('claimed_at', { withTimezone: true }),
  contactedAt: timestamp('contacted_at', { withTimezone: true }),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  disbursedAt: timestamp('disbursed_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  /** Deadlines under the SLA policy in force when the lead was created (working-day calendar). */
  acceptDueAt: timestamp('accept_due_at', { withTimezone: true }),
  contactDueAt: timestamp('contact_due_at', { withTimezone: true }),
  decisionDueAt: timestamp('decision_due_at', { withTimezone: true }),
  escalateAt: timestamp('escalate_at', { withTimezone: true }),
  /** Handed back to the desk for reassignment after the escalation deadline passed without acceptance. */
  escalatedAt: timestamp('escalated_at', { withTimezone: true }),
  /** Working hours from the request to acceptance, first contact and decision, fixed when each happens (reports sum them in SQL). */
  acceptWorkingHours: numeric('accept_working_hours', { precision: 10, scale: 2 }),
  contactWorkingHours: numeric('contact_working_hours', { precision: 10, scale: 2 }),
  decisionWorkingHours: numeric('decision_working_hours', { precision: 10, scale: 2 }),
  termsAmount: bigint('terms_amount', { mode: 'number' }),
  termsRatePct: numeric('terms_rate_pct', { precision: 5, scale: 2 }),
  termsMonths: integer('terms_months'),
  termsGuaranteeType: text('terms_guarantee_type'),
  declineReason: text('decline_reason'),
  decisionNote: text('decision_note'),
  /** The bank's finding on "never had a bank loan" after its credit-report check (null: not yet checked). */
  firstLoanConfirmed: boolean('first_loan_confirmed'),
  disbursedOn: text('disbursed_on'),
  disbursedAmount: bigint('disbursed_amount', { mode: 'number' }),
  /** The applicant's word on the reported terms: confirmed or disputed, with a note. */
  applicantConfirmation: text('applicant_confirmation').$type<'confirmed' | 'disputed'>(),
  applicantNote: text('applicant_note'),
  applicantConfirmedAt: timestamp('applicant_confirmed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('leads_status_check', sql`${t.status} in ('new','claimed','contacted','approved','declined','disbursed','withdrawn','expired')`),
  index('leads_application_idx').on(t.applicationId),
  index('leads_bank_status_idx').on(t.bankId, t.status, t.createdAt),
  // Reports and the rollup read leads by creation time; SLA figures count the still-waiting ones live.
  index('leads_created_idx').on(t.createdAt),
  index('leads_waiting_idx').on(t.createdAt).where(sql`decided_at is null and closed_at is null`),
  // The desk's reassignment queue: handed back and still not accepted.
  index('leads_escalated_idx').on(t.escalatedAt).where(sql`status = 'new' and escalated_at is not null`),
]);

/** Append-only history of a lead: who did what, when, from which status to which. */
export const leadEvents = pgTable('lead_events', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  leadId: integer('lead_id').notNull().references(() => leads.id),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorType: text('actor_type').$type<'applicant' | 'staff' | 'system'>().notNull(),
  actorId: integer('actor_id'),
  action: text('action').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status'),
  note: text('note'),
}, (t) => [index('lead_events_lead_idx').on(t.leadId, t.id)]);

export type LeadRow = typeof leads.$inferSelect;

/**
 * A lead as it is first written (status new, nothing done yet), whole: a submission builds its rows with
 * ids taken from the sequence beforehand, so one statement writes them and what follows from them (feed
 * rows, notifications, the applicant's message) and the row in hand is the row stored.
 */
export function newLead(v: Pick<LeadRow, 'id' | 'applicationId' | 'bankId' | 'productId' | 'productSnapshot' | 'open' | 'branchId' | 'officerId'
  | 'acceptDueAt' | 'contactDueAt' | 'decisionDueAt' | 'escalateAt' | 'createdAt'>): LeadRow {
  return {
    ...v, secondLook: false, status: 'new', claimedAt: null, contactedAt: null, decidedAt: null, disbursedAt: null, closedAt: null, escalatedAt: null,
    acceptWorkingHours: null, contactWorkingHours: null, decisionWorkingHours: null, termsAmount: null, termsRatePct: null, termsMonths: null,
    termsGuaranteeType: null, declineReason: null, decisionNote: null, firstLoanConfirmed: null, disbursedOn: null, disbursedAmount: null,
    applicantConfirmation: null, applicantNote: null, applicantConfirmedAt: null, updatedAt: v.createdAt,
  };
}
export type LeadEventRow = typeof leadEvents.$inferSelect;

/**
 * Transactional outbox: one row per new lead or status change, written in the change's transaction.
 * A worker delivers it to the bank's webhook; `seq` also numbers the bank's pull feed.
 *
 * Writers take no feed number (no per-bank row lock on the submission path): `sequenceFeeds`
 * (models/lead-changes.ts) numbers committed rows where changes are read, so the numbers stay
 * gap-free and follow commit order.
 */
export const outbox = pgTable('outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  deliveryId: text('delivery_id').notNull().unique(),
  bankId: integer('bank_id').notNull().references(() => banks.id),
  /** The bank's feed number, given by `sequenceFeeds` after commit, when the change is first read (null until then). */
  seq: bigint('seq', { mode: 'number' }),
  leadId: integer('lead_id').notNull().references(() => leads.id),
  event: text('event').notNull(),
  payload: jsonb('payload').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  deadAt: timestamp('dead_at', { withTimezone: true }),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
}, (t) => [
  uniqueIndex('outbox_bank_seq_uq').on(t.bankId, t.seq),
  index('outbox_unsequenced_idx').on(t.bankId, t.id).where(sql`${t.seq} is null`),
  index('outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.deliveredAt} is null and ${t.deadAt} is null`),
]);

export type OutboxRow = typeof outbox.$inferSelect;
