import { and, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../server/context';
import { CONSENT_VERSION } from '../../server/domain/consent';
import { ConflictError, NotFoundError } from '../../server/errors';
import { applications, consents, type ApplicationRow } from '../../models/applications';
import { findApplicationByToken, leadsOfApplication, OPEN_LEAD_STATES } from '../../models/applications-queries';
import { applyTransition } from '../../models/lead-changes';
import { addLead } from '../../models/lead-create';
import { leadEvents, leads } from '../../models/leads';
import type { Executor } from '../../server/db';
import { presentTracking } from './present';
import { acceptOffer, checkTarget, declineOffer, matchApplication, pendingOffers } from '../reassignments/service';
import type { ConfirmInput, OfferAnswerInput, SecondLookInput } from './schema';
import { unprocessable } from './submit';
import { sentMessages } from '../../server/sms/applicant-messages';

const notFound = () => new NotFoundError({ code: 'application_not_found', detail: 'No request has this tracking link.' });

async function load(tx: Executor, token: string, lock = false): Promise<ApplicationRow> {
  const application = await findApplicationByToken(tx, token, lock);
  if (!application) throw notFound();
  return application;
}

async function tracked(tx: Executor, a: ApplicationRow) {
  return presentTracking(a, await leadsOfApplication(tx, a.id), await pendingOffers(tx, a.id));
}

export async function trackApplication(ctx: AppContext, token: string) {
  const application = await load(ctx.db, token);
  return { ...(await tracked(ctx.db, application)), messages: await sentMessages(ctx.db, application.id) };
}

/** The applicant withdraws: every lead still being worked becomes withdrawn, each with its event. */
export async function withdrawApplication(ctx: AppContext, token: string, reason?: string) {
  return ctx.db.transaction(async (tx) => {
    const a = await load(tx, token, true);
    if (a.status !== 'open') throw new ConflictError({ code: 'invalid_status', detail: `The request is already ${a.status}.`, extra: { currentStatus: a.status } });
    const now = ctx.clock.now();
    const open = await tx.select().from(leads)
      .where(and(eq(leads.applicationId, a.id), inArray(leads.status, [...OPEN_LEAD_STATES]))).orderBy(leads.bankId, leads.id).for('update');
    for (const lead of open) await applyTransition(tx, lead, 'withdraw', { actor: { type: 'applicant' }, now, event: 'withdrawn', note: reason || null });
    const [updated] = await tx.update(applications).set({ status: 'withdrawn', withdrawnAt: now, updatedAt: now }).where(eq(applications.id, a.id)).returning();
    return tracked(tx, updated!);
  });
}

/**
 * After a decline, the same request goes to another bank with fresh consent for that bank: the
 * product must be on offer, the company eligible for it, and its bank not yet asked in this request.
 */
export async function requestSecondLook(ctx: AppContext, token: string, input: SecondLookInput) {
  const matcher = await ctx.catalogue.current();
  return ctx.db.transaction(async (tx) => {
    const a = await load(tx, token, true);
    const now = ctx.clock.now();
    const existing = await leadsOfApplication(tx, a.id);
    if (a.status !== 'open' || !existing.some((l) => l.lead.status === 'declined')) {
      throw new ConflictError({ code: 'second_look_unavailable', detail: 'A second look is offered once a bank has declined an open request.', extra: { currentStatus: a.status } });
    }
    if (input.consent.version !== CONSENT_VERSION) throw unprocessable('consent_outdated', `The consent text has changed (now ${CONSENT_VERSION}).`, { currentVersion: CONSENT_VERSION });
    const bankId = (await checkTarget(tx, matcher, a, input.productId, now)).product.bankId;
    if (!input.consent.banks.includes(bankId)) throw unprocessable('consent_missing', 'The new bank needs the applicant\'s consent (PIPL Art. 23).', { banks: [bankId] });
    await tx.insert(consents).values({ applicationId: a.id, bankId, purpose: 'second_look', version: input.consent.version, grantedAt: now });
    await addLead(tx, a, input.productId, { now, actor: { type: 'applicant' }, note: 'second look after a decline', secondLook: true });
    return tracked(tx, a);
  });
}

/** Products a second look could go to: eligible, at banks this request has not reached yet. */
export async function secondLookOptions(ctx: AppContext, token: string) {
  const a = await load(ctx.db, token);
  const asked = new Set((await leadsOfApplication(ctx.db, a.id)).map((l) => l.lead.bankId));
  const matcher = await ctx.catalogue.current();
  const results = matchApplication(matcher, a, ctx.clock.now());
  return { items: results.filter((r) => r.eligible && !asked.has(r.product.bankId)).slice(0, 10).map((r) => ({ product: r.product, score: r.score })) };
}

/** The applicant confirms or disputes the terms (or the disbursement) a bank reported. */
export async function confirmTerms(ctx: AppContext, token: string, input: ConfirmInput) {
  return ctx.db.transaction(async (tx) => {
    const a = await load(tx, token, true);
    const [lead] = await tx.select().from(leads).where(and(eq(leads.id, input.leadId), eq(leads.applicationId, a.id))).for('update');
    if (!lead) throw new NotFoundError({ code: 'lead_not_found', detail: 'This request has no such bank lead.' });
    if (lead.status !== 'approved' && lead.status !== 'disbursed') {
      throw new ConflictError({ code: 'invalid_status', detail: 'Only granted terms or a disbursement can be confirmed or disputed.', extra: { currentStatus: lead.status } });
    }
    const now = ctx.clock.now();
    await tx.update(leads).set({ applicantConfirmation: input.outcome, applicantNote: input.note || null, applicantConfirmedAt: now, updatedAt: now }).where(eq(leads.id, lead.id));
    await tx.insert(leadEvents).values({ leadId: lead.id, at: now, actorType: 'applicant', action: `terms_${input.outcome}`, fromStatus: lead.status, toStatus: lead.status, note: input.note || null });
    return tracked(tx, a);
  });
}

/**
 * The applicant answers the desk's offer to send the request to another bank (its bank did not
 * accept in time): accepting consents to that bank and hands the request over; declining keeps it as is.
 */
export async function answerOffer(ctx: AppContext, token: string, offerId: number, input: OfferAnswerInput) {
  const matcher = await ctx.catalogue.current();
  return ctx.db.transaction(async (tx) => {
    const a = await load(tx, token, true);
    if (a.status !== 'open') throw new ConflictError({ code: 'invalid_status', detail: `The request is already ${a.status}.`, extra: { currentStatus: a.status } });
    if (input.accept) await acceptOffer(ctx, tx, a, offerId, input.consent!, matcher);
    else await declineOffer(ctx, tx, a, offerId);
    return tracked(tx, a);
  });
}
