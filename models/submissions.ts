import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { applications, companies, idempotencyKeys } from './applications';
import { leads, type LeadRow } from './leads';

/** The submission's own writes (server/commands/submit-application.ts), each in the caller's transaction. */

/**
 * The company as the request describes it, upserted by USCC. ON CONFLICT … DO UPDATE also locks the
 * company row: one company's submissions run one at a time, so two racing requests cannot both pass
 * the duplicate check that follows.
 */
export async function upsertCompanyRow(tx: Executor, values: typeof companies.$inferInsert): Promise<number> {
  const [row] = await tx.insert(companies).values(values).onConflictDoUpdate({ target: companies.uscc, set: values }).returning({ id: companies.id });
  return row!.id;
}

/** Takes an Idempotency-Key for this request: true when it is new; false when another request holds it. */
export async function claimIdempotencyKey(tx: Executor, key: string, requestHash: string, now: Date): Promise<boolean> {
  const claimed = await tx.insert(idempotencyKeys).values({ key, requestHash, createdAt: now }).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  return claimed.length > 0;
}

export async function findIdempotencyKey(tx: Executor, key: string) {
  const [prior] = await tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
  return prior;
}

/** Keeps the first answer for replays; `status` says it is complete (it keeps the status the route gives it, 201). */
export async function completeIdempotencyKey(tx: Executor, key: string, response: unknown): Promise<void> {
  await tx.update(idempotencyKeys).set({ status: 201, response }).where(eq(idempotencyKeys.key, key));
}

export async function insertApplication(tx: Executor, values: typeof applications.$inferInsert): Promise<number> {
  const [row] = await tx.insert(applications).values(values).returning({ id: applications.id });
  return row!.id;
}

/** The new leads, in the order their feed changes are queued (bank, then id). */
export async function leadsByIds(tx: Executor, ids: number[]): Promise<LeadRow[]> {
  return tx.select().from(leads).where(inArray(leads.id, ids)).orderBy(leads.bankId, leads.id);
}
