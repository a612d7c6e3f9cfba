import type { Matcher } from '../../matchers/matcher';
import { ConflictError } from '../errors';
import { consentFor, lockLead } from '../../models/lead-queries';
import { insertOffer, lockApplication, pendingOfferOf } from '../../models/reassignment-queries';
import type { ReassignmentRow } from '../../models/reassignments';
import type { CommandArgs } from './command';
import { checkTarget, handOver } from './hand-over';
import { leadNotFound } from './not-found';

export interface Reassigned {
  offer: ReassignmentRow;
  bankName: string;
  productName: string;
  /** True when the request went over at once (consent on file); false when the applicant is asked first. */
  handedOver: boolean;
}

/**
 * The desk gives an escalated lead to another bank: at once when the applicant's consent for that
 * bank is on file, otherwise as an offer the applicant answers on the tracking page.
 */
export async function reassignLead({ db, actor, input, now, matcher }: CommandArgs<{ leadId: number; productId: number; note?: string }> & { matcher: Matcher }): Promise<Reassigned> {
  return db.transaction(async (tx) => {
    const lead = await lockLead(tx, input.leadId);
    if (!lead) throw leadNotFound();
    if (lead.status !== 'new' || !lead.escalatedAt) {
      throw new ConflictError({ code: 'not_escalated', detail: 'Only a lead handed back to the desk and still not accepted can go to another bank.', extra: { currentStatus: lead.status } });
    }
    const a = (await lockApplication(tx, lead.applicationId))!;
    const pending = await pendingOfferOf(tx, lead.id);
    if (pending) throw new ConflictError({ code: 'offer_pending', detail: 'An offer for this lead is waiting for the applicant; cancel it first.', extra: { offerId: pending.id } });
    const target = await checkTarget(tx, matcher, a, input.productId, now);
    const names = { bankName: target.product.bankName, productName: target.product.name };
    const base = { leadId: lead.id, applicationId: a.id, toBankId: target.product.bankId, toProductId: target.product.id, requestedBy: actor.id, note: input.note || null, createdAt: now };
    if (!(await consentFor(tx, a.id, target.product.bankId))) {
      return { offer: await insertOffer(tx, { ...base, status: 'awaiting_consent' }), ...names, handedOver: false };
    }
    const created = await handOver(tx, lead, a, target, { actor: { type: 'staff', id: actor.id }, now, note: `handed over by the financing desk from lead #${lead.id} (consent on file)` });
    return { offer: await insertOffer(tx, { ...base, status: 'done', resolvedAt: now, newLeadId: created.id }), ...names, handedOver: true };
  });
}
