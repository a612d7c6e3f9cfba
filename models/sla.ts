import { sql, type SQL } from 'drizzle-orm';
import { index, integer, pgTable, timestamp } from 'drizzle-orm/pg-core';
import type { Executor } from '../server/db';
import { queryRows } from '../server/sql';
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

type PolicyInForce = SlaPolicy & { bankId: number | null; effectiveFrom: Date | null };

/** The policy in force for a bank at a moment: the bank's own if it has one, else the city's, else 1-3-5. */
export async function policyFor(db: Executor, bankId: number | null, at: Date): Promise<PolicyInForce> {
  return (await policiesFor(db, bankId === null ? [] : [bankId], at)).get(bankId)!;
}

/** The rows in force at `at` of these banks and of the city, as a JSON array: a column to embed in a bigger read. */
export function policiesInForceSql(bankIds: number[], at: Date): SQL {
  return sql`(select coalesce(json_agg(json_build_object('bankId', p.bank_id, 'acceptDays', p.accept_days, 'contactDays', p.contact_days,
      'decisionDays', p.decision_days, 'escalateDays', p.escalate_days, 'effectiveFrom', p.effective_from)), '[]'::json)
    from (select distinct on (bank_id) * from ${slaPolicies}
           where (bank_id is null or bank_id = any(${sql.param(bankIds)}::int[])) and effective_from <= ${at.toISOString()}::timestamptz
           order by bank_id, effective_from desc, id desc) p)`;
}

export interface PolicyRow extends SlaPolicy {
  bankId: number | null;
  effectiveFrom: string | Date;
}

/** Each bank's own policy or the city's (else 1-3-5), from the rows `policiesInForceSql` read; the city's under `null`. */
export function policiesOf(rows: PolicyRow[], bankIds: number[]): Map<number | null, PolicyInForce> {
  const of = (row: PolicyRow | undefined): PolicyInForce => row
    ? { acceptDays: row.acceptDays, contactDays: row.contactDays, decisionDays: row.decisionDays, escalateDays: row.escalateDays, bankId: row.bankId, effectiveFrom: new Date(row.effectiveFrom) }
    : { ...DEFAULT_SLA, bankId: null, effectiveFrom: null };
  const city = of(rows.find((r) => r.bankId === null));
  const answer = new Map<number | null, PolicyInForce>([[null, city]]);
  for (const id of bankIds) {
    const own = rows.find((r) => r.bankId === id);
    answer.set(id, own ? of(own) : city);
  }
  return answer;
}

/**
 * `policyFor` for several banks in one round trip (a submission to two banks): the latest row in force
 * of each bank and of the city, then each bank's own or the city's. The answer also has the city's under `null`.
 */
export async function policiesFor(db: Executor, bankIds: number[], at: Date): Promise<Map<number | null, PolicyInForce>> {
  const [row] = await queryRows<{ policies: PolicyRow[] }>(db, sql`select ${policiesInForceSql(bankIds, at)} as policies`);
  return policiesOf(row!.policies, bankIds);
}

/** A new policy (a bank's, or with bankId null the city default), in force from `effectiveFrom`. */
export async function insertSlaPolicy(tx: Executor, p: SlaPolicy & { bankId: number | null; effectiveFrom: Date; createdBy: number }): Promise<void> {
  await tx.insert(slaPolicies).values(p);
}
