import { and, asc, count, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { applications, consents, type ApplicationRow } from './applications';
import { banks } from './banks';
import { leads } from './leads';
import { products } from './products';
import { reassignments, type ReassignmentRow, type ReassignmentStatus } from './reassignments';

/** An offer with the names of the bank and product it would go to. */
export interface OfferWithNames { offer: ReassignmentRow; bankName: string; productName: string }

const withNames = (db: Executor) => db.select({ offer: reassignments, bankName: banks.name, productName: products.name }).from(reassignments)
  .innerJoin(banks, eq(banks.id, reassignments.toBankId)).innerJoin(products, eq(products.id, reassignments.toProductId));

/** Bank ids per request, from (applicationId, bankId) pairs. */
function banksByApplication(rows: { applicationId: number; bankId: number }[]): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const r of rows) (out.get(r.applicationId) ?? out.set(r.applicationId, new Set()).get(r.applicationId)!).add(r.bankId);
  return out;
}

/** The banks each request has reached (any lead, whatever its status). */
export async function askedBanks(db: Executor, applicationIds: number[]): Promise<Map<number, Set<number>>> {
  if (applicationIds.length === 0) return new Map();
  return banksByApplication(await db.select({ applicationId: leads.applicationId, bankId: leads.bankId }).from(leads).where(inArray(leads.applicationId, applicationIds)));
}

/** The banks each request's applicant consented to (recipients, standby, second look, hand-over). */
export async function consentedBanks(db: Executor, applicationIds: number[]): Promise<Map<number, Set<number>>> {
  if (applicationIds.length === 0) return new Map();
  return banksByApplication(await db.select({ applicationId: consents.applicationId, bankId: consents.bankId }).from(consents).where(inArray(consents.applicationId, applicationIds)));
}

/** Leads handed back to the desk (escalated) and still not accepted, oldest first, with their request and bank. */
export async function escalatedLeads(db: Executor, p: { page: number; pageSize: number }) {
  const where = and(eq(leads.status, 'new'), isNotNull(leads.escalatedAt));
  const rows = await db.select({ lead: leads, application: applications, bankName: banks.name }).from(leads)
    .innerJoin(applications, eq(applications.id, leads.applicationId)).innerJoin(banks, eq(banks.id, leads.bankId))
    .where(where).orderBy(asc(leads.escalatedAt), asc(leads.id)).limit(p.pageSize).offset((p.page - 1) * p.pageSize);
  const [total] = await db.select({ n: count() }).from(leads).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

/** Offers waiting for the applicant on these leads. */
export async function pendingOffersOfLeads(db: Executor, leadIds: number[]): Promise<OfferWithNames[]> {
  if (leadIds.length === 0) return [];
  return withNames(db).where(and(inArray(reassignments.leadId, leadIds), eq(reassignments.status, 'awaiting_consent')));
}

/** Offers waiting for this applicant's answer, oldest first. */
export async function pendingOffersOfApplication(db: Executor, applicationId: number): Promise<OfferWithNames[]> {
  return withNames(db).where(and(eq(reassignments.applicationId, applicationId), eq(reassignments.status, 'awaiting_consent'))).orderBy(asc(reassignments.id));
}

/** The desk's reassignments, newest first. */
export async function listOffers(db: Executor, q: { status?: ReassignmentStatus; page: number; pageSize: number }): Promise<{ rows: OfferWithNames[]; total: number }> {
  const where = q.status ? eq(reassignments.status, q.status) : undefined;
  const rows = await withNames(db).where(where).orderBy(desc(reassignments.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
  const [total] = await db.select({ n: count() }).from(reassignments).where(where);
  return { rows, total: Number(total?.n ?? 0) };
}

/** The offer waiting for the applicant on this lead, if any. */
export async function pendingOfferOf(db: Executor, leadId: number): Promise<{ id: number } | undefined> {
  const [row] = await db.select({ id: reassignments.id }).from(reassignments).where(and(eq(reassignments.leadId, leadId), eq(reassignments.status, 'awaiting_consent')));
  return row;
}

export async function insertOffer(tx: Executor, row: Omit<typeof reassignments.$inferInsert, 'id'>): Promise<ReassignmentRow> {
  const [made] = await tx.insert(reassignments).values(row).returning();
  return made!;
}

/** Resolves an offer (done, declined, cancelled). */
export async function settleOffer(tx: Executor, id: number, set: Partial<typeof reassignments.$inferInsert>): Promise<void> {
  await tx.update(reassignments).set(set).where(eq(reassignments.id, id));
}

/** Cancels an offer still waiting for the applicant; undefined when it is not waiting (or does not exist). */
export async function cancelPendingOffer(db: Executor, id: number, now: Date): Promise<ReassignmentRow | undefined> {
  const [row] = await db.update(reassignments).set({ status: 'cancelled', resolvedAt: now })
    .where(and(eq(reassignments.id, id), eq(reassignments.status, 'awaiting_consent'))).returning();
  return row;
}

export async function findOffer(db: Executor, id: number): Promise<ReassignmentRow | undefined> {
  const [row] = await db.select().from(reassignments).where(eq(reassignments.id, id));
  return row;
}

/** An offer of this request, locked. */
export async function lockOfferOf(tx: Executor, applicationId: number, offerId: number): Promise<ReassignmentRow | undefined> {
  const [row] = await tx.select().from(reassignments).where(and(eq(reassignments.id, offerId), eq(reassignments.applicationId, applicationId))).for('update');
  return row;
}

/** The application row, locked. */
export async function lockApplication(tx: Executor, id: number): Promise<ApplicationRow | undefined> {
  const [row] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
  return row;
}

/** Records a consent the applicant gave to one more bank (second look, hand-over); with `keepExisting` one on file stays. */
export async function recordConsent(tx: Executor, c: { applicationId: number; bankId: number; purpose: typeof consents.$inferInsert['purpose']; version: string; grantedAt: Date }, keepExisting = false): Promise<void> {
  const insert = tx.insert(consents).values(c);
  await (keepExisting ? insert.onConflictDoNothing() : insert);
}

/** The applicant withdraws the request (its leads are closed by the caller). */
export async function markWithdrawn(tx: Executor, id: number, now: Date): Promise<ApplicationRow> {
  const [row] = await tx.update(applications).set({ status: 'withdrawn', withdrawnAt: now, updatedAt: now }).where(eq(applications.id, id)).returning();
  return row!;
}
