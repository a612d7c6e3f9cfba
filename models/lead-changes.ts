import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { ConflictError } from '../server/errors';
import { nextStatus, transitions, type LeadAction } from '../server/domain/lead-lifecycle';
import { span } from '../server/sla';
import { queueApplicantMessage } from '../server/sms/applicant-messages';
import { banks } from './banks';
import { leadEvents, leads, outbox, type LeadRow } from './leads';
import { reassignments } from './reassignments';

export interface ChangeActor {
  type: 'applicant' | 'staff' | 'system';
  id?: number | null;
}

/** What a webhook or the pull feed says of a lead: its state, never the applicant's personal data. */
export function feedPayload(event: string, lead: LeadRow) {
  return {
    event,
    lead: {
      id: lead.id, applicationId: lead.applicationId, bankId: lead.bankId, productId: lead.productId, status: lead.status,
      open: lead.open, secondLook: lead.secondLook, branchId: lead.branchId, officerId: lead.officerId,
      createdAt: lead.createdAt.toISOString(), claimedAt: lead.claimedAt?.toISOString() ?? null, contactedAt: lead.contactedAt?.toISOString() ?? null,
      decidedAt: lead.decidedAt?.toISOString() ?? null, disbursedAt: lead.disbursedAt?.toISOString() ?? null,
      ...(lead.termsAmount !== null ? { terms: { amount: lead.termsAmount, ratePct: Number(lead.termsRatePct), termMonths: lead.termsMonths, guaranteeType: lead.termsGuaranteeType } } : {}),
      ...(lead.declineReason ? { declineReason: lead.declineReason } : {}),
    },
  };
}

/**
 * Queues a change for the bank's webhook and feed, in the caller's transaction. The feed number is
 * taken with the bank row locked (held to commit), so numbers appear in commit order with no gaps;
 * call this last in a transaction to keep that lock short.
 */
export async function enqueueChange(tx: Executor, lead: LeadRow, event: string, now: Date): Promise<void> {
  const [bank] = await tx.update(banks).set({ feedSeq: sql`${banks.feedSeq} + 1` }).where(eq(banks.id, lead.bankId)).returning({ seq: banks.feedSeq });
  await tx.insert(outbox).values({
    deliveryId: randomUUID(), bankId: lead.bankId, seq: bank!.seq, leadId: lead.id, event,
    payload: feedPayload(event, lead), createdAt: now, nextAttemptAt: now,
  });
  // The applicant hears of the same change by SMS, queued in the same transaction.
  await queueApplicantMessage(tx, lead, event, now);
}

/** The working hours a response took, kept on the lead when it happens (null past the loaded calendars). */
function workingHoursFor(stamp: string, from: Date, to: Date): Partial<typeof leads.$inferInsert> {
  const column = ({ claimedAt: 'acceptWorkingHours', contactedAt: 'contactWorkingHours', decidedAt: 'decisionWorkingHours' } as const)[stamp as 'claimedAt'];
  if (!column) return {};
  const hours = span(from, to)!.workingHours;
  return { [column]: Number.isFinite(hours) ? hours.toFixed(2) : null };
}

/**
 * Applies one move of the transition table: checks it is allowed (409 with the current status if
 * not), stamps its time, appends the lead_event and queues the change, all in the caller's
 * transaction. The update is guarded by the status it read, so of two racing moves exactly one wins.
 */
export async function applyTransition(tx: Executor, lead: LeadRow, action: LeadAction, o: { actor: ChangeActor; now: Date; patch?: Partial<typeof leads.$inferInsert>; note?: string | null; event?: string }): Promise<LeadRow> {
  const to = nextStatus(action, lead.status);
  if (!to) {
    throw new ConflictError({ code: 'invalid_transition', detail: `Cannot ${action} a lead that is ${lead.status}.`, extra: { currentStatus: lead.status, action } });
  }
  const t = transitions[action];
  const stamp = 'stamp' in t ? { [t.stamp]: o.now, ...workingHoursFor(t.stamp, lead.createdAt, o.now) } : {};
  const [updated] = await tx.update(leads).set({ ...o.patch, ...stamp, status: to, updatedAt: o.now })
    .where(and(eq(leads.id, lead.id), eq(leads.status, lead.status))).returning();
  if (!updated) {
    const [current] = await tx.select({ status: leads.status }).from(leads).where(eq(leads.id, lead.id));
    throw new ConflictError({ code: 'invalid_transition', detail: 'The lead changed meanwhile; reload it.', extra: { currentStatus: current?.status, action } });
  }
  if (lead.status === 'new' && to !== 'new') {
    // An offer to hand this lead to another bank lapses once the lead moves on (accepted, withdrawn, …).
    await tx.update(reassignments).set({ status: 'cancelled', resolvedAt: o.now }).where(and(eq(reassignments.leadId, lead.id), eq(reassignments.status, 'awaiting_consent')));
  }
  await tx.insert(leadEvents).values({ leadId: lead.id, at: o.now, actorType: o.actor.type, actorId: o.actor.id ?? null, action: o.event ?? action, fromStatus: lead.status, toStatus: to, note: o.note ?? null });
  await enqueueChange(tx, updated, to === lead.status ? `lead.${o.event ?? action}` : 'lead.status_changed', o.now);
  return updated;
}
