import type { Actor } from '../auth';
import type { Db, Executor } from '../db';
import { leadScope } from '../policies';
import { lockLead } from '../../models/lead-queries';
import type { LeadRow } from '../../models/leads';
import { leadNotFound } from './not-found';

/** Runs `work` in a transaction on the lead, locked, as far as the caller's lead scope reaches (else 404). */
export async function withScopedLead<T>(db: Db, actor: Actor, id: number, work: (tx: Executor, lead: LeadRow) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const lead = await lockLead(tx, id, leadScope(actor));
    if (!lead) throw leadNotFound();
    return work(tx, lead);
  });
}

/** Who a staff member's change is recorded as. */
export const staffActor = (actor: Actor) => ({ type: 'staff' as const, id: actor.id });
