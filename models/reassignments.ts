import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { applications } from './applications';
import { banks } from './banks';
import { leads } from './leads';
import { products } from './products';
import { users } from './users';

export const reassignmentStatuses = ['awaiting_consent', 'done', 'declined', 'cancelled'] as const;
export type ReassignmentStatus = (typeof reassignmentStatuses)[number];

/**
 * The desk hands an escalated lead (not accepted in time) to another bank. With the applicant's
 * consent on file for that bank it is done at once; otherwise it waits here as an offer the applicant
 * accepts or declines on the tracking page.
 */
export const reassignments = pgTable('reassignments', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  leadId: integer('lead_id').notNull().references(() => leads.id),
  applicationId: integer('application_id').notNull().references(() => applications.id),
  toBankId: integer('to_bank_id').notNull().references(() => banks.id),
  toProductId: integer('to_product_id').notNull().references(() => products.id),
  status: text('status').$type<ReassignmentStatus>().notNull(),
  requestedBy: integer('requested_by').notNull().references(() => users.id),
  note: text('note'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  newLeadId: integer('new_lead_id').references(() => leads.id),
}, (t) => [
  index('reassignments_application_idx').on(t.applicationId),
  // At most one offer waiting for the applicant per lead.
  uniqueIndex('reassignments_one_pending_idx').on(t.leadId).where(sql`status = 'awaiting_consent'`),
]);

export type ReassignmentRow = typeof reassignments.$inferSelect;
