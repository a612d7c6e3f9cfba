import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { ConflictError } from '../server/errors';
import { nextStatus, transitions, type LeadAction } from '../server/domain/lead-lifecycle';
import { span } from '../server/sla';
import { applicantMessageStatements, type NewApplication } from '../server/sms/applicant-messages';
import { executeTogether, insertRowsSql, queryRows } from '../server/sql';
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
 * Queues a change for the bank's webhook and feed, in the caller's transaction. No feed number is
 * taken here (that was a per-bank row lock held to commit: every submission to one bank waited for
 * the one before); `sequenceFeeds` numbers the row after it commits.
 */
export async function enqueueChange(tx: Executor, lead: LeadRow, event: string, now: Date): Promise<void> {
  await enqueueChanges(tx, [{ lead, event }], now);
}

/** Several changes at once: their outbox rows and the applicant's messages as one statement. */
export async function enqueueChanges(tx: Executor, changes: { lead: LeadRow; event: string }[], now: Date): Promise<void> {
  await executeTogether(tx, await changeStatements(tx, changes, now));
}

/**
 * The statements that queue these changes: one insert of their outbox rows, and the applicant's SMS for the
 * same changes (queued in the same transaction; a message several changes share, one "submitted" per
 * request, is queued once). `fresh`: the request is being written now (a submission), known whole.
 */
export async function changeStatements(tx: Executor, changes: { lead: LeadRow; event: string }[], now: Date, fresh?: NewApplication): Promise<SQL[]> {
  if (changes.length === 0) return [];
  const rows = changes.map(({ lead, event }) => ({
    deliveryId: randomUUID(), bankId: lead.bankId, leadId: lead.id, event, payload: feedPayload(event, lead), createdAt: now, nextAttemptAt: now,
  }));
  return [insertRowsSql(outbox, rows), ...(await applicantMessageStatements(tx, changes, now, fresh))];
}

/**
 * Gives committed, unnumbered outbox rows their bank's next feed numbers, with the banks' rows locked
 * (two runs never hand out one number twice, and a run sees the numbers of the one before it). A row
 * is numbered the first time a run sees it committed, after every number already given, so a reader
 * that pages by number never skips a change, whenever it committed, and never sees one twice; the
 * numbers follow commit order. Within one run rows go by id: two changes of one lead are inserted in
 * the order they happened (the second waits for the first's lock on the lead). Runs where changes are
 * read (the pull feed, the webhook worker), never on the write path. `bankId` limits it to one bank.
 */
export async function sequenceFeeds(db: Executor, bankId?: number): Promise<void> {
  const pending = await queryRows<{ bank_id: number }>(db, sql`
    select distinct bank_id from ${outbox} where ${outbox.seq} is null ${bankId === undefined ? sql`` : sql`and ${outbox.bankId} = ${bankId}`}`);
  if (pending.length === 0) return;
  const ids = pending.map((r) => r.bank_id).sort((a, b) => a - b);
  await db.transaction(async (tx) => {
    // FOR NO KEY UPDATE: runs exclude each other, while submissions' foreign-key checks (FOR KEY SHARE) on these banks go on.
    await tx.select({ id: banks.id }).from(banks).where(inArray(banks.id, ids)).orderBy(banks.id).for('no key update');
    // A new statement, so a new snapshot (READ COMMITTED): it sees the numbers of a run that held the locks before us.
    await tx.execute(sql`
      with ready as (
        select o.id, o.bank_id, row_number() over (partition by o.bank_id order by o.id) as n
          from ${outbox} o
         where o.seq is null and o.bank_id in ${ids}
      ), numbered as (
        update ${outbox} o set seq = b.feed_seq + r.n
          from ready r join ${banks} b on b.id = r.bank_id
         where o.id = r.id
        returning o.bank_id, o.seq
      )
      update ${banks} b set feed_seq = m.top
        from (select bank_id, max(seq) as top from numbered group by bank_id) m
       where b.id = m.bank_id`);
  });
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
