import type { ReassignmentRow } from '../../models/reassignments';
import { cancelPendingOffer, findOffer } from '../../models/reassignment-queries';
import type { CommandArgs } from './command';
import { offerClosed } from './hand-over';
import { offerNotFound } from './not-found';

/** The desk withdraws an offer the applicant has not answered yet (409 once it is answered or cancelled). */
export async function cancelOffer({ db, input, now }: CommandArgs<{ id: number }>): Promise<ReassignmentRow> {
  const row = await cancelPendingOffer(db, input.id, now);
  if (row) return row;
  const existing = await findOffer(db, input.id);
  if (!existing) throw offerNotFound();
  throw offerClosed(existing.status);
}
