import { bigint, date, index, integer, jsonb, numeric, pgTable, primaryKey, real, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Pre-aggregated report figures, so the desk's reports over a year of a whole city read a few
 * hundred rows instead of a million leads. Maintained by the `report-rollup` job from the days
 * that triggers on `leads` mark as changed (migration 0010); see models/rollup-refresh.ts.
 */

/** Days (Shanghai, of the lead's creation) whose leads changed since the rollup last read them. Append-only; the job consumes it. */
export const reportDirtyDays = pgTable('report_dirty_days', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  day: date('day').notNull(),
  markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row per creation day, bank (0: all banks) and one dimension value (dim '' and value '': no
 * dimension). Counts and sums only; SLA deadlines count here once settled (met, or the lead moved on
 * or closed) — deadlines of leads still waiting are counted live, because they depend on the moment.
 */
export const reportRollup = pgTable('report_rollup', {
  day: date('day').notNull(),
  bankId: integer('bank_id').notNull(),
  dim: text('dim').notNull(),
  value: text('value').notNull(),
  leads: integer('leads').notNull(),
  /** Requests whose first lead matching this row's bank and product type was created this day. */
  applications: integer('applications').notNull(),
  firstLoanApplications: integer('first_loan_applications').notNull(),
  acceptDue: integer('accept_due').notNull(),
  acceptMet: integer('accept_met').notNull(),
  contactDue: integer('contact_due').notNull(),
  contactMet: integer('contact_met').notNull(),
  decisionDue: integer('decision_due').notNull(),
  decisionMet: integer('decision_met').notNull(),
  decided: integer('decided').notNull(),
  approved: integer('approved').notNull(),
  disbursed: integer('disbursed').notNull(),
  approvedAmount: numeric('approved_amount').notNull(),
  disbursedAmount: numeric('disbursed_amount').notNull(),
  /** Σ amount × rate and Σ amount × (rate − LPR in bp) over grants, for amount-weighted averages (null: no rate known). */
  rateWeight: numeric('rate_weight'),
  spreadWeight: numeric('spread_weight'),
  firstLoanApproved: integer('first_loan_approved').notNull(),
  firstLoanAmount: numeric('first_loan_amount').notNull(),
  creditApproved: integer('credit_approved').notNull(),
  /** {reason: count} of declines, {status: count} of second-look leads. */
  declines: jsonb('declines').$type<Record<string, number>>().notNull(),
  secondLooks: jsonb('second_looks').$type<Record<string, number>>().notNull(),
}, (t) => [primaryKey({ columns: [t.dim, t.value, t.bankId, t.day] })]);

/**
 * A fixed one-in-N sample of leads (by id) with their dimensions and response hours: medians and p90
 * over large scopes are computed on it (a sort of thousands, not a million).
 */
export const reportSample = pgTable('report_sample', {
  leadId: integer('lead_id').primaryKey(),
  day: date('day').notNull(),
  bankId: integer('bank_id').notNull(),
  district: text('district'),
  industry: text('industry'),
  size: text('size'),
  productType: text('product_type'),
  channelId: integer('channel_id'),
  acceptWh: real('accept_wh'),
  acceptCh: real('accept_ch'),
  contactWh: real('contact_wh'),
  contactCh: real('contact_ch'),
  decisionWh: real('decision_wh'),
  decisionCh: real('decision_ch'),
}, (t) => [index('report_sample_day_idx').on(t.day)]);
