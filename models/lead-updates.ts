import { and, count, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { ACCEPTED_STATES, OPEN_STATES } from '../server/domain/lead-lifecycle';
import { applications } from './applications';
import { enqueueChange, type ChangeActor } from './lead-changes';
import { leadEvents, leads, type LeadRow } from './leads';

/** Where a lead belongs, read without a lock (to know which rows to lock first), within `scope`. */
export async function peekLead(db: Executor, id: number, scope?: SQL): Promise<{ applicationId: number; open: boolean } | undefined> {
  const [row] = await db.select({ applicationId: leads.applicationId, open: leads.open }).from(leads).where(and(eq(leads.id, id), scope));
  return row;
}

/** Locks the application row: claims of one open request take it first, so they are counted one at a time. */
export async function lockApplicationRow(tx: Executor, applicationId: number): Promise<void> {
  await tx.select({ id: applications.id }).from(applications).where(eq(applications.id, applicationId)).for('update');
}

/** How many banks have taken (accepted and not let go) the leads of an open request. */
export async function openRequestTakers(tx: Executor, applicationId: number): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(leads)
    .where(and(eq(leads.applicationId, applicationId), eq(leads.open, true), inArray(leads.status, [...ACCEPTED_STATES])));
  return Number(row?.n ?? 0);
}

/** The leads of an open request still waiting for a bank, locked, in bank order. */
export async function lockWaitingOpenLeads(tx: Executor, applicationId: number): Promise<LeadRow[]> {
  return tx.select().from(leads).where(and(eq(leads.applicationId, applicationId), eq(leads.open, true), eq(leads.status, 'new'))).orderBy(leads.bankId).for('update');
}

/** The leads of a request still being worked, locked, in bank order (what a withdrawal closes). */
export async function lockOpenLeadsOf(tx: Executor, applicationId: number): Promise<LeadRow[]> {
  return tx.select().from(leads).where(and(eq(leads.applicationId, applicationId), inArray(leads.status, [...OPEN_STATES]))).orderBy(leads.bankId, leads.id).for('update');
}

/** A lead of this request, locked, or undefined. */
export async function lockLeadOfApplication(tx: Executor, applicationId: number, leadId: number): Promise<LeadRow | undefined> {
  const [row] = await tx.select().from(leads).where(and(eq(leads.id, leadId), eq(leads.applicationId, applicationId))).for('update');
  return row;
}

/**
 * A change to a locked lead that keeps its status (terms amended, first loan checked, applicant's answer): the
 * columns change, a lead_event records it, and, with `feedEvent`, the change is queued for the bank's webhook and
 * the applicant's message, all in the caller's transaction. The update is guarded by the status read.
 */
export async function recordLeadChange(tx: Executor, lead: LeadRow, o: {
  patch: Partial<typeof leads.$inferInsert>; actor: ChangeActor; action: string; note: string | null; now: Date; feedEvent?: string;
}): Promise<LeadRow> {
  const [updated] = await tx.update(leads).set({ ...o.patch, updatedAt: o.now }).where(and(eq(leads.id, lead.id), eq(leads.status, lead.status))).returning();
  await tx.insert(leadEvents).values({ leadId: lead.id, at: o.now, actorType: o.actor.type, actorId: o.actor.id ?? null, action: o.action, fromStatus: lead.status, toStatus: lead.status, note: o.note });
  if (o.feedEvent) await enqueueChange(tx, updated!, o.feedEvent, o.now);
  return updated!;
}
