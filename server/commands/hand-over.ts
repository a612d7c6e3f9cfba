import { toFacts } from '../../matchers/facts';
import type { Matcher, MatchResult } from '../../matchers/matcher';
import type { Executor } from '../db';
import { shanghaiDate } from '../domain/lpr';
import { ConflictError, UnprocessableError } from '../errors';
import type { ApplicationRow } from '../../models/applications';
import { applyTransition, type ChangeActor } from '../../models/lead-changes';
import { addLead } from '../../models/lead-create';
import type { LeadRow } from '../../models/leads';
import { bankAdminIds, notify } from '../../models/notifications';
import { askedBanks, lockOfferOf } from '../../models/reassignment-queries';
import type { ReassignmentRow } from '../../models/reassignments';
import { offerNotFound } from './not-found';

/** The matcher's answer for a request on file, as of `now`. */
export function matchApplication(matcher: Matcher, a: ApplicationRow, now: Date): MatchResult[] {
  return matcher.match(toFacts(a.companySnapshot, { amount: a.needAmount, termMonths: a.needTermMonths }, shanghaiDate(now)));
}

/** The best eligible product of each bank this request has not reached yet, best first. */
export function candidatesFor(results: MatchResult[], asked: Set<number>): MatchResult[] {
  const best = new Map<number, MatchResult>();
  for (const r of results) if (r.eligible && !asked.has(r.product.bankId) && !best.has(r.product.bankId)) best.set(r.product.bankId, r);
  return [...best.values()];
}

/**
 * The one rule for "this product is on offer and the company eligible for it" (422 otherwise, naming `path`): the
 * result of `productId` among the matcher's answers.
 */
export function requireEligible(results: MatchResult[], productId: number, path: string): MatchResult {
  const result = results.find((r) => r.product.id === productId);
  if (!result) throw new UnprocessableError('product_unavailable', `Product ${productId} is not on offer (not published, or retired).`, {}, path);
  if (!result.eligible) {
    throw new UnprocessableError('product_not_eligible', `The company does not meet the criteria of product ${productId}.`, { reasons: result.reasons.filter((r) => r.status !== 'pass') }, path);
  }
  return result;
}

/** The product the request would go to (a hand-over or a second look): on offer, the company eligible, at a bank the request has not reached. */
export async function checkTarget(tx: Executor, matcher: Matcher, a: ApplicationRow, productId: number, now: Date): Promise<MatchResult> {
  const result = requireEligible(matchApplication(matcher, a, now), productId, 'productId');
  if ((await askedBanks(tx, [a.id])).get(a.id)?.has(result.product.bankId)) {
    throw new ConflictError({ code: 'bank_already_asked', detail: 'This bank already has (or had) this request; choose another bank.' });
  }
  return result;
}

/**
 * Moves the request from the escalated lead to the target bank: the old lead expires (its bank is not
 * told where the request went), a new lead is made for the target, and both banks' admins are told.
 */
export async function handOver(tx: Executor, lead: LeadRow, a: ApplicationRow, target: MatchResult, o: { actor: ChangeActor; now: Date; note: string }): Promise<LeadRow> {
  await applyTransition(tx, lead, 'expire', { actor: o.actor, now: o.now, event: 'reassigned' });
  const created = await addLead(tx, a, target.product.id, { now: o.now, actor: o.actor, note: o.note });
  await notify(tx, await bankAdminIds(tx, lead.bankId), {
    kind: 'lead_reassigned_away', leadId: lead.id,
    message: { zh: `线索 #${lead.id} 逾期未受理，已由融资专窗转给其他银行`, en: `Lead #${lead.id} was not accepted in time; the financing desk passed the request to another bank` },
  }, o.now);
  await notify(tx, await bankAdminIds(tx, created.bankId), {
    kind: 'lead_reassigned_in', leadId: created.id,
    message: { zh: `融资专窗转来新线索 #${created.id}，请尽快受理`, en: `The financing desk passed you lead #${created.id}; please accept it soon` },
  }, o.now);
  return created;
}

export const offerClosed = (status: string) => new ConflictError({ code: 'offer_closed', detail: `The offer is already ${status}.`, extra: { currentStatus: status } });

/** An offer of this request still waiting for the applicant, locked (404 or 409 otherwise). */
export async function lockOpenOffer(tx: Executor, a: ApplicationRow, offerId: number): Promise<ReassignmentRow> {
  const offer = await lockOfferOf(tx, a.id, offerId);
  if (!offer) throw offerNotFound();
  if (offer.status !== 'awaiting_consent') throw offerClosed(offer.status);
  return offer;
}
