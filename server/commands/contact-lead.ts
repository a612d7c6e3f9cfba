import { assertWorksLeads } from '../policies';
import { applyTransition } from '../../models/lead-changes';
import type { LeadRow } from '../../models/leads';
import type { CommandArgs } from './command';
import { staffActor, withScopedLead } from './lead-work';

/** First contact with the applicant (claimed → contacted); an officer logging it takes the lead if nobody had. */
export async function contactLead({ db, actor, input, now }: CommandArgs<{ id: number; note?: string }>): Promise<LeadRow> {
  assertWorksLeads(actor);
  return withScopedLead(db, actor, input.id, (tx, lead) => applyTransition(tx, lead, 'contact', {
    actor: staffActor(actor), now, note: input.note || null,
    patch: { officerId: lead.officerId ?? (actor.role === 'bank_officer' ? actor.id : null) },
  }));
}
