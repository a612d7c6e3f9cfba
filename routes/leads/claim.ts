import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { ConflictError, NotFoundError } from '../../server/errors';
import { leadScope } from '../../server/policies';
import { applications } from '../../models/applications';
import { applyTransition } from '../../models/lead-changes';
import { lockLead } from '../../models/lead-queries';
import { leads, type LeadRow } from '../../models/leads';

/** An open request goes to the first three banks that claim it. */
export const OPEN_REQUEST_WINNERS = 3;

export const leadNotFound = () => new NotFoundError({ code: 'lead_not_found', detail: 'No such lead.' });

/**
 * A bank accepts a lead (new → claimed). For an open request the application row is locked, so
 * claims of different banks are counted one at a time: the first three win, later ones get 409, and
 * the third win closes the leads nobody claimed. A lead outside the caller's lead scope (another
 * bank's, another branch's) reads as missing, and is checked again under the lock: a lead routed to
 * another branch between the peek and the lock is not taken.
 */
export async function claimLead(ctx: AppContext, actor: Actor, id: number): Promise<LeadRow> {
  return ctx.db.transaction(async (tx) => {
    const [peek] = await tx.select({ applicationId: leads.applicationId, open: leads.open }).from(leads)
      .where(and(eq(leads.id, id), leadScope(actor)));
    if (!peek) throw leadNotFound();
    // Lock order: application, then lead (the same order every claim takes).
    if (peek.open) await tx.select({ id: applications.id }).from(applications).where(eq(applications.id, peek.applicationId)).for('update');
    const lead = await lockLead(tx, id, leadScope(actor));
    if (!lead) throw leadNotFound();
    if (lead.status !== 'new') {
      throw new ConflictError({ code: 'invalid_transition', detail: `Cannot claim a lead that is ${lead.status}.`, extra: { currentStatus: lead.status, action: 'claim' } });
    }
    const now = ctx.clock.now();
    if (lead.open) {
      const won = await tx.select({ id: leads.id }).from(leads)
        .where(and(eq(leads.applicationId, lead.applicationId), eq(leads.open, true), ne(leads.status, 'new'), ne(leads.status, 'expired'), ne(leads.status, 'withdrawn')));
      if (won.length >= OPEN_REQUEST_WINNERS) {
        throw new ConflictError({ code: 'claims_full', detail: `${OPEN_REQUEST_WINNERS} banks have already taken this open request.`, extra: { currentStatus: lead.status } });
      }
    }
    const claimed = await applyTransition(tx, lead, 'claim', {
      actor: { type: 'staff', id: actor.id }, now,
      patch: { officerId: actor.role === 'bank_officer' ? actor.id : lead.officerId, branchId: actor.role === 'bank_officer' && actor.branchId ? actor.branchId : lead.branchId },
    });
    if (lead.open) {
      const winners = await tx.select({ id: leads.id }).from(leads)
        .where(and(eq(leads.applicationId, lead.applicationId), eq(leads.open, true), inArray(leads.status, ['claimed', 'contacted', 'approved', 'declined', 'disbursed'])));
      if (winners.length >= OPEN_REQUEST_WINNERS) {
        const rest = await tx.select().from(leads)
          .where(and(eq(leads.applicationId, lead.applicationId), eq(leads.open, true), eq(leads.status, 'new'))).orderBy(leads.bankId).for('update');
        for (const r of rest) {
          await applyTransition(tx, r, 'expire', { actor: { type: 'system' }, now, event: 'closed', note: `taken by ${OPEN_REQUEST_WINNERS} other banks` });
        }
      }
    }
    return claimed;
  });
}
