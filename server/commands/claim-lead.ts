import { ConflictError } from '../errors';
import { leadScope } from '../policies';
import { applyTransition } from '../../models/lead-changes';
import { lockLead } from '../../models/lead-queries';
import { lockApplicationRow, lockWaitingOpenLeads, openRequestTakers, peekLead } from '../../models/lead-updates';
import type { LeadRow } from '../../models/leads';
import type { CommandArgs } from './command';
import { leadNotFound } from './not-found';

/** An open request goes to the first three banks that claim it. */
export const OPEN_REQUEST_WINNERS = 3;

/**
 * A bank accepts a lead (new → claimed). For an open request the application row is locked, so
 * claims of different banks are counted one at a time: the first three win, later ones get 409, and
 * the third win closes the leads nobody claimed. A lead outside the caller's lead scope (another
 * bank's, another branch's) reads as missing, and is checked again under the lock: a lead routed to
 * another branch between the peek and the lock is not taken.
 */
export async function claimLead({ db, actor, input, now }: CommandArgs<{ id: number }>): Promise<LeadRow> {
  return db.transaction(async (tx) => {
    const peek = await peekLead(tx, input.id, leadScope(actor));
    if (!peek) throw leadNotFound();
    // Lock order: application, then lead (the same order every claim takes).
    if (peek.open) await lockApplicationRow(tx, peek.applicationId);
    const lead = await lockLead(tx, input.id, leadScope(actor));
    if (!lead) throw leadNotFound();
    if (lead.status !== 'new') {
      throw new ConflictError({ code: 'invalid_transition', detail: `Cannot claim a lead that is ${lead.status}.`, extra: { currentStatus: lead.status, action: 'claim' } });
    }
    if (lead.open && (await openRequestTakers(tx, lead.applicationId)) >= OPEN_REQUEST_WINNERS) {
      throw new ConflictError({ code: 'claims_full', detail: `${OPEN_REQUEST_WINNERS} banks have already taken this open request.`, extra: { currentStatus: lead.status } });
    }
    const officer = actor.role === 'bank_officer';
    const claimed = await applyTransition(tx, lead, 'claim', {
      actor: { type: 'staff', id: actor.id }, now,
      patch: { officerId: officer ? actor.id : lead.officerId, branchId: officer && actor.branchId ? actor.branchId : lead.branchId },
    });
    if (lead.open && (await openRequestTakers(tx, lead.applicationId)) >= OPEN_REQUEST_WINNERS) {
      for (const r of await lockWaitingOpenLeads(tx, lead.applicationId)) {
        await applyTransition(tx, r, 'expire', { actor: { type: 'system' }, now, event: 'closed', note: `taken by ${OPEN_REQUEST_WINNERS} other banks` });
      }
    }
    return claimed;
  });
}
