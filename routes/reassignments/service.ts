import { and, asc, count, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import { toFacts } from '../../matchers/facts';
import type { MatchResult } from '../../matchers/matcher';
import type { Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import type { Executor } from '../../server/db';
import { CONSENT_VERSION } from '../../server/domain/consent';
import { shanghaiDate } from '../../server/domain/lpr';
import { ConflictError, NotFoundError } from '../../server/errors';
import { applications, consents, type ApplicationRow } from '../../models/applications';
import { banks } from '../../models/banks';
import { applyTransition, type ChangeActor } from '../../models/lead-changes';
import { addLead } from '../../models/lead-create';
import { lockLead } from '../../models/lead-queries';
import { leads, type LeadRow } from '../../models/leads';
import { bankAdminIds, notify } from '../../models/notifications';
import { products } from '../../models/products';
import { reassignments, type ReassignmentRow, type ReassignmentStatus } from '../../models/reassignments';
import { presentLeadSummary } from '../leads/present';
import { leadNotFound } from '../leads/claim';
import { unprocessable } from '../applications/submit';

/** Candidates shown per lead in the queue. */
const CANDIDATES = 5;

type Matcher = Awaited<ReturnType<AppContext['catalogue']['current']>>;

/** The matcher's answer for a request on file, as of `now`. */
export function matchApplication(matcher: Matcher, a: ApplicationRow, now: Date): MatchResult[] {
  return matcher.match(toFacts(a.companySnapshot, { amount: a.needAmount, termMonths: a.needTermMonths }, shanghaiDate(now)));
}

/** The best eligible product of each bank this request has not reached yet, best first. */
function candidatesFor(results: MatchResult[], asked: Set<number>): MatchResult[] {
  const best = new Map<number, MatchResult>();
  for (const r of results) if (r.eligible && !asked.has(r.product.bankId) && !best.has(r.product.bankId)) best.set(r.product.bankId, r);
  return [...best.values()];
}

/** Bank ids per request, from (applicationId, bankId) pairs. */
function banksByApplication(rows: { applicationId: number; bankId: number }[]): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const r of rows) (out.get(r.applicationId) ?? out.set(r.applicationId, new Set()).get(r.applicationId)!).add(r.bankId);
  return out;
}

/** The banks each request has reached (any lead, whatever its status). */
async function askedBanks(db: Executor, applicationIds: number[]): Promise<Map<number, Set<number>>> {
  if (applicationIds.length === 0) return new Map();
  return banksByApplication(await db.select({ applicationId: leads.applicationId, bankId: leads.bankId }).from(leads).where(inArray(leads.applicationId, applicationIds)));
}

/** The banks each request's applicant consented to (recipients, standby, second look, hand-over). */
async function consentedBanks(db: Executor, applicationIds: number[]): Promise<Map<number, Set<number>>> {
  if (applicationIds.length === 0) return new Map();
  return banksByApplication(await db.select({ applicationId: consents.applicationId, bankId: consents.bankId }).from(consents).where(inArray(consents.applicationId, applicationIds)));
}

/**
 * The desk's reassignment queue: leads handed back because their bank did not accept them in time,
 * oldest first, each with the offer waiting for the applicant (if any) and the best other banks to
 * send it to, those the applicant already consented to marked (one click, no question to the applicant).
 */
export async function reassignmentQueue(ctx: AppContext, actor: Actor, p: { page: number; pageSize: number }) {
  const where = and(eq(leads.status, 'new'), isNotNull(leads.escalatedAt));
  const rows = await ctx.db.select({ lead: leads, application: applications, bankName: banks.name }).from(leads)
    .innerJoin(applications, eq(applications.id, leads.applicationId)).innerJoin(banks, eq(banks.id, leads.bankId))
    .where(where).orderBy(asc(leads.escalatedAt), asc(leads.id)).limit(p.pageSize).offset((p.page - 1) * p.pageSize);
  const [total] = await ctx.db.select({ n: count() }).from(leads).where(where);
  const appIds = [...new Set(rows.map((r) => r.application.id))];
  const leadIds = rows.map((r) => r.lead.id);
  const [asked, consented, offers] = await Promise.all([
    askedBanks(ctx.db, appIds), consentedBanks(ctx.db, appIds),
    leadIds.length ? ctx.db.select({ offer: reassignments, bankName: banks.name, productName: products.name }).from(reassignments)
      .innerJoin(banks, eq(banks.id, reassignments.toBankId)).innerJoin(products, eq(products.id, reassignments.toProductId))
      .where(and(inArray(reassignments.leadId, leadIds), eq(reassignments.status, 'awaiting_consent'))) : Promise.resolve([]),
  ]);
  const matcher = await ctx.catalogue.current();
  const now = ctx.clock.now();
  const items = rows.map((r) => {
    const onFile = consented.get(r.application.id) ?? new Set<number>();
    const candidates = candidatesFor(matchApplication(matcher, r.application, now), asked.get(r.application.id) ?? new Set())
      .map((c) => ({ product: c.product, score: c.score, consentOnFile: onFile.has(c.product.bankId) }))
      .sort((x, y) => Number(y.consentOnFile) - Number(x.consentOnFile) || y.score - x.score)
      .slice(0, CANDIDATES);
    const offer = offers.find((o) => o.offer.leadId === r.lead.id);
    return {
      ...presentLeadSummary(r, actor, now),
      escalatedAt: r.lead.escalatedAt!.toISOString(),
      company: { name: r.application.companySnapshot.name, district: r.application.companySnapshot.district, industry: r.application.companySnapshot.industry },
      need: { amount: r.application.needAmount, termMonths: r.application.needTermMonths },
      offer: offer ? presentOffer(offer.offer, offer.bankName, offer.productName) : null,
      candidates,
    };
  });
  return { items, total: Number(total?.n ?? 0), page: p.page, pageSize: p.pageSize };
}

export function presentOffer(o: ReassignmentRow, bankName: string, productName: string) {
  return {
    id: o.id, leadId: o.leadId, applicationId: o.applicationId, status: o.status, toBankId: o.toBankId, bankName, toProductId: o.toProductId, productName,
    note: o.note, createdAt: o.createdAt.toISOString(), resolvedAt: o.resolvedAt?.toISOString() ?? null, newLeadId: o.newLeadId,
  };
}

/** History of the desk's reassignments, newest first. */
export async function listReassignments(ctx: AppContext, q: { status?: ReassignmentStatus; page: number; pageSize: number }) {
  const where = q.status ? eq(reassignments.status, q.status) : undefined;
  const rows = await ctx.db.select({ offer: reassignments, bankName: banks.name, productName: products.name }).from(reassignments)
    .innerJoin(banks, eq(banks.id, reassignments.toBankId)).innerJoin(products, eq(products.id, reassignments.toProductId))
    .where(where).orderBy(desc(reassignments.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
  const [total] = await ctx.db.select({ n: count() }).from(reassignments).where(where);
  return { items: rows.map((r) => presentOffer(r.offer, r.bankName, r.productName)), total: Number(total?.n ?? 0), page: q.page, pageSize: q.pageSize };
}

/** The product the request would go to (a hand-over or a second look): on offer, the company eligible, at a bank the request has not reached. */
export async function checkTarget(tx: Executor, matcher: Matcher, a: ApplicationRow, productId: number, now: Date): Promise<MatchResult> {
  const result = matchApplication(matcher, a, now).find((r) => r.product.id === productId);
  if (!result) throw unprocessable('product_unavailable', `Product ${productId} is not on offer.`, {}, 'productId');
  if (!result.eligible) throw unprocessable('product_not_eligible', 'The company does not meet this product\'s criteria.', { reasons: result.reasons.filter((r) => r.status !== 'pass') }, 'productId');
  if ((await askedBanks(tx, [a.id])).get(a.id)?.has(result.product.bankId)) {
    throw new ConflictError({ code: 'bank_already_asked', detail: 'This bank already has (or had) this request; choose another bank.' });
  }
  return result;
}

/**
 * Moves the request from the escalated lead to the target bank: the old lead expires (its bank is not
 * told where the request went), a new lead is made for the target, and both banks' admins are told.
 */
async function handOver(tx: Executor, lead: LeadRow, a: ApplicationRow, target: MatchResult, o: { actor: ChangeActor; now: Date; note: string }): Promise<LeadRow> {
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

const offerNotFound = () => new NotFoundError({ code: 'offer_not_found', detail: 'No such reassignment offer.' });

/**
 * The desk gives an escalated lead to another bank: at once when the applicant's consent for that
 * bank is on file (201), otherwise as an offer the applicant answers on the tracking page (202).
 */
export async function reassignLead(ctx: AppContext, actor: Actor, input: { leadId: number; productId: number; note?: string }) {
  const matcher = await ctx.catalogue.current();
  return ctx.db.transaction(async (tx) => {
    const lead = await lockLead(tx, input.leadId);
    if (!lead) throw leadNotFound();
    if (lead.status !== 'new' || !lead.escalatedAt) {
      throw new ConflictError({ code: 'not_escalated', detail: 'Only a lead handed back to the desk and still not accepted can go to another bank.', extra: { currentStatus: lead.status } });
    }
    const [a] = await tx.select().from(applications).where(eq(applications.id, lead.applicationId)).for('update');
    const [pending] = await tx.select({ id: reassignments.id }).from(reassignments).where(and(eq(reassignments.leadId, lead.id), eq(reassignments.status, 'awaiting_consent')));
    if (pending) throw new ConflictError({ code: 'offer_pending', detail: 'An offer for this lead is waiting for the applicant; cancel it first.', extra: { offerId: pending.id } });
    const now = ctx.clock.now();
    const target = await checkTarget(tx, matcher, a!, input.productId, now);
    const [onFile] = await tx.select().from(consents).where(and(eq(consents.applicationId, a!.id), eq(consents.bankId, target.product.bankId)));
    const base = { leadId: lead.id, applicationId: a!.id, toBankId: target.product.bankId, toProductId: target.product.id, requestedBy: actor.id, note: input.note || null, createdAt: now };
    if (!onFile) {
      const [offer] = await tx.insert(reassignments).values({ ...base, status: 'awaiting_consent' }).returning();
      return { status: 202, body: presentOffer(offer!, target.product.bankName, target.product.name) };
    }
    const created = await handOver(tx, lead, a!, target, { actor: { type: 'staff', id: actor.id }, now, note: `handed over by the financing desk from lead #${lead.id} (consent on file)` });
    const [done] = await tx.insert(reassignments).values({ ...base, status: 'done', resolvedAt: now, newLeadId: created.id }).returning();
    return { status: 201, body: presentOffer(done!, target.product.bankName, target.product.name) };
  });
}

export async function cancelOffer(ctx: AppContext, id: number) {
  const now = ctx.clock.now();
  const [row] = await ctx.db.update(reassignments).set({ status: 'cancelled', resolvedAt: now })
    .where(and(eq(reassignments.id, id), eq(reassignments.status, 'awaiting_consent'))).returning();
  if (row) return row;
  const [existing] = await ctx.db.select({ status: reassignments.status }).from(reassignments).where(eq(reassignments.id, id));
  if (!existing) throw offerNotFound();
  throw new ConflictError({ code: 'offer_closed', detail: `The offer is already ${existing.status}.`, extra: { currentStatus: existing.status } });
}

async function lockOffer(tx: Executor, a: ApplicationRow, offerId: number): Promise<ReassignmentRow> {
  const [offer] = await tx.select().from(reassignments).where(and(eq(reassignments.id, offerId), eq(reassignments.applicationId, a.id))).for('update');
  if (!offer) throw offerNotFound();
  if (offer.status !== 'awaiting_consent') {
    throw new ConflictError({ code: 'offer_closed', detail: `The offer is already ${offer.status}.`, extra: { currentStatus: offer.status } });
  }
  return offer;
}

/**
 * The applicant agrees, consenting to the new bank (PIPL Art. 23): the hand-over happens now. The caller
 * compiles `matcher` before opening `tx`: the catalogue reads through the pool, which on the embedded
 * database is the one connection the transaction holds.
 */
export async function acceptOffer(ctx: AppContext, tx: Executor, a: ApplicationRow, offerId: number, consent: { version: string; banks: number[] }, matcher: Matcher) {
  const offer = await lockOffer(tx, a, offerId);
  if (consent.version !== CONSENT_VERSION) throw unprocessable('consent_outdated', `The consent text has changed (now ${CONSENT_VERSION}).`, { currentVersion: CONSENT_VERSION });
  if (!consent.banks.includes(offer.toBankId)) throw unprocessable('consent_missing', 'The new bank needs the applicant\'s consent (PIPL Art. 23).', { banks: [offer.toBankId] });
  const lead = await lockLead(tx, offer.leadId);
  const now = ctx.clock.now();
  const target = await checkTarget(tx, matcher, a, offer.toProductId, now);
  await tx.insert(consents).values({ applicationId: a.id, bankId: offer.toBankId, purpose: 'reassignment', version: consent.version, grantedAt: now }).onConflictDoNothing();
  const created = await handOver(tx, lead!, a, target, { actor: { type: 'applicant' }, now, note: `handed over by the financing desk from lead #${lead!.id}; the applicant consented` });
  await tx.update(reassignments).set({ status: 'done', resolvedAt: now, newLeadId: created.id }).where(eq(reassignments.id, offer.id));
  await notify(tx, [offer.requestedBy], { kind: 'offer_accepted', leadId: created.id, message: { zh: `申请人已同意转交，新线索 #${created.id}`, en: `The applicant agreed; new lead #${created.id}` } }, now);
}

export async function declineOffer(ctx: AppContext, tx: Executor, a: ApplicationRow, offerId: number) {
  const offer = await lockOffer(tx, a, offerId);
  const now = ctx.clock.now();
  await tx.update(reassignments).set({ status: 'declined', resolvedAt: now }).where(eq(reassignments.id, offer.id));
  await notify(tx, [offer.requestedBy], { kind: 'offer_declined', leadId: offer.leadId, message: { zh: `申请人未同意将线索 #${offer.leadId} 转给其他银行`, en: `The applicant declined passing lead #${offer.leadId} to another bank` } }, now);
}

/** Offers waiting for this applicant's answer. */
export async function pendingOffers(db: Executor, applicationId: number) {
  const rows = await db.select({ offer: reassignments, bankName: banks.name, productName: products.name }).from(reassignments)
    .innerJoin(banks, eq(banks.id, reassignments.toBankId)).innerJoin(products, eq(products.id, reassignments.toProductId))
    .where(and(eq(reassignments.applicationId, applicationId), eq(reassignments.status, 'awaiting_consent'))).orderBy(asc(reassignments.id));
  return rows.map((r) => ({ id: r.offer.id, leadId: r.offer.leadId, bankId: r.offer.toBankId, bankName: r.bankName, productId: r.offer.toProductId, productName: r.productName, createdAt: r.offer.createdAt.toISOString() }));
}
