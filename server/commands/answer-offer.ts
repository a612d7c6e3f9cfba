import type { Matcher } from '../../matchers/matcher';
import { requireConsent } from '../domain/consent';
import type { ApplicationRow } from '../../models/applications';
import { lockLead } from '../../models/lead-queries';
import { notify } from '../../models/notifications';
import { recordConsent, settleOffer } from '../../models/reassignment-queries';
import type { OfferAnswerInput } from '../../routes/applications/schema';
import type { Executor } from '../db';
import type { CommandArgs } from './command';
import { applicationByToken, assertOpen } from './application-work';
import { checkTarget, handOver, lockOpenOffer } from './hand-over';

/**
 * The applicant answers the desk's offer to send the request to another bank (its bank did not
 * accept in time): accepting consents to that bank and hands the request over; declining keeps it as is.
 */
export async function answerOffer({ db, input, now, matcher }: Omit<CommandArgs<{ token: string; offerId: number } & OfferAnswerInput>, 'actor'> & { matcher: Matcher }): Promise<ApplicationRow> {
  return db.transaction(async (tx) => {
    const a = await applicationByToken(tx, input.token, true);
    assertOpen(a);
    if (input.accept) await acceptOffer(tx, a, input.offerId, input.consent!, matcher, now);
    else await declineOffer(tx, a, input.offerId, now);
    return a;
  });
}

/** The applicant agrees, consenting to the new bank (PIPL Art. 23): the hand-over happens now. */
async function acceptOffer(tx: Executor, a: ApplicationRow, offerId: number, consent: { version: string; banks: number[] }, matcher: Matcher, now: Date) {
  const offer = await lockOpenOffer(tx, a, offerId);
  requireConsent(consent, [offer.toBankId]);
  const lead = await lockLead(tx, offer.leadId);
  const target = await checkTarget(tx, matcher, a, offer.toProductId, now);
  await recordConsent(tx, { applicationId: a.id, bankId: offer.toBankId, purpose: 'reassignment', version: consent.version, grantedAt: now }, true);
  const created = await handOver(tx, lead!, a, target, { actor: { type: 'applicant' }, now, note: `handed over by the financing desk from lead #${lead!.id}; the applicant consented` });
  await settleOffer(tx, offer.id, { status: 'done', resolvedAt: now, newLeadId: created.id });
  await notify(tx, [offer.requestedBy], { kind: 'offer_accepted', leadId: created.id, message: { zh: `申请人已同意转交，新线索 #${created.id}`, en: `The applicant agreed; new lead #${created.id}` } }, now);
}

async function declineOffer(tx: Executor, a: ApplicationRow, offerId: number, now: Date) {
  const offer = await lockOpenOffer(tx, a, offerId);
  await settleOffer(tx, offer.id, { status: 'declined', resolvedAt: now });
  await notify(tx, [offer.requestedBy], { kind: 'offer_declined', leadId: offer.leadId, message: { zh: `申请人未同意将线索 #${offer.leadId} 转给其他银行`, en: `The applicant declined passing lead #${offer.leadId} to another bank` } }, now);
}
