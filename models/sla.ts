import { and, desc, eq, isNull, lte } from 'drizzle-orm';
import { index, integer, pgTable, timestamp } from 'drizzle-orm/pg-core';
import type { Executor } from '../server/db';
import { banks } from './banks';

/**
 * SLA policies, kept as history: a change is a new row effective from its moment, so a lead keeps the
 * deadlines of the policy in force when it was created. bank_id null is the city's default.
 */
export const slaPolicies = pgTable('sla_policies', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  bankId: integer('bank_id').references(() => banks.id),
  acceptDays: integer('accept_days').notNull(),
  contactDays: integer('contact_days').notNull(),
  decisionDays: integer('decision_days').notNull(),
  /** Working days after the acceptance deadline before an unaccepted lead goes back to the desk. */
  escalateDays: integer('escalate_days').notNull(),
  effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
  createdBy: integer('created_by'),
}, (t) => [index('sla_policies_bank_idx').on(t.bankId, t.effectiveFrom)]);

export interface SlaPolicy {
  acceptDays: number;
  contactDays: number;
  decisionDays: number;
  escalateDays: number;
}

/** Zhejiang's "1-3-5": accept in 1 working day, contact in 3, decide in 5; back to the desk 2 days after a missed acceptance. */
export const DEFAULT_SLA: SlaPolicy = { acceptDays: 1, contactDays: 3, decisionDays: 5, escalateDays: 2 };

/** The policy in force for a bank at a moment: the bank's own if it has one, else the city's, else 1-3-5. */
export async function policyFor(db: Executor, bankId: number | null, at: Date): Promise<SlaPolicy & { bankId: number | null; effectiveFrom: Date | null }> {
  const latest = async (bank: number | null) => {
    const [row] = await db.select().from(slaPolicies)
      .where(and(bank === null ? isNull(slaPolicies.bankId) : eq(slaPolicies.bankId, bank), lte(slaPolicies.effectiveFrom, at)))
      .orderBy(desc(slaPolicies.effectiveFrom), desc(slaPolicies.id)).limit(1);
    return row;
  };
  const row = (bankId !== null ? await latest(bankId) : undefined) ?? (await latest(null));
  if (!row) return { ...DEFAULT_SLA, bankId: null, effectiveFrom: null };
  return { acceptDays: row.acceptDays, contactDays: row.contactDays, decisionDays: row.decisionDays, escalateDays: row.escalateDays, bankId: row.bankId, effectiveFrom: row.effectiveFrom };
}

/** A new policy (a bank's, or with bankId null the city default), in force from `effectiveFrom`. */
export async function insertSlaPolicy(tx: Executor, p: SlaPolicy & { bankId: number | null; effectiveFrom: Date; createdBy: number }): Promise<void> {
  await tx.insert(slaPolicies).values(p);
}
