import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { queryPrepared } from '../server/sql';
import { applications, type ApplicationRow } from './applications';
import { banks } from './banks';
import { channelOfSubmission } from './channels';
import { leads, type LeadRow } from './leads';
import { products } from './products';

export async function findApplicationByToken(db: Executor, token: string, lock = false): Promise<ApplicationRow | undefined> {
  const q = db.select().from(applications).where(eq(applications.trackingToken, token));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export interface LeadWithNames {
  lead: LeadRow;
  bankName: string;
  productName: string;
}

export async function leadsOfApplication(db: Executor, applicationId: number): Promise<LeadWithNames[]> {
  return db.select({ lead: leads, bankName: banks.name, productName: products.name }).from(leads)
    .innerJoin(banks, eq(banks.id, leads.bankId)).innerJoin(products, eq(products.id, leads.productId))
    .where(eq(leads.applicationId, applicationId)).orderBy(leads.id);
}

export async function productsByIds(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select({ product: products, bankName: banks.name }).from(products).innerJoin(banks, eq(banks.id, products.bankId)).where(inArray(products.id, ids));
}

export interface SubmissionChecks {
  /** This contact phone already has an open request of this company for one of these products. */
  duplicate: boolean;
  /** Another contact's open request of this company for one of these products (the oldest), if any. */
  otherContact?: { applicationId: number; createdAt: Date };
  otherCompanies: number;
  channelId: number | null;
}

/**
 * The checks a submission makes before writing, in one round trip: open applications of this company
 * within the window with an open lead for one of these product families (bank + code: a newer version
 * of a product is the same product), from this phone and from another one; how many other companies
 * this phone applied for; and the channel of the code (without one, the city's online channel). `also`: more
 * columns read in the same round trip (the submission's policies and routes), answered under `also`.
 */
export async function submissionChecks<X extends Record<string, unknown> = Record<string, never>>(db: Executor, q: { companyId: number; productIds: number[]; phone: string; channelCode?: string; duplicateSince: Date; brokerSince: Date }, also: { [K in keyof X]: SQL } = {} as { [K in keyof X]: SQL }): Promise<SubmissionChecks & { also: X }> {
  const more = Object.entries(also as Record<string, SQL>).map(([name, column]) => sql`, ${column} as ${sql.identifier(name)}`);
  const [row] = await queryPrepared<{ same: boolean; other: { id: number; created_at: string } | null; others: number; channel_id: number | null } & X>(db, sql`
    with open_requests as (
      select distinct a.id, a.contact_phone, a.created_at
        from applications a
        join leads l on l.application_id = a.id
        join products lp on lp.id = l.product_id
        join products wanted on wanted.bank_id = lp.bank_id and wanted.code = lp.code
       where a.company_id = ${q.companyId} and a.status = 'open' and a.created_at > ${q.duplicateSince.toISOString()}::timestamptz
         and l.status in ('new', 'claimed', 'contacted')
         and wanted.id in (select (jsonb_array_elements_text(${JSON.stringify(q.productIds)}::jsonb))::int)
    )
    select
      exists (select 1 from open_requests where contact_phone = ${q.phone}) as same,
      (select json_build_object('id', id, 'created_at', created_at) from open_requests where contact_phone <> ${q.phone} order by created_at, id limit 1) as other,
      (select count(distinct company_id)::int from applications
        where contact_phone = ${q.phone} and company_id <> ${q.companyId} and created_at > ${q.brokerSince.toISOString()}::timestamptz) as others,
      ${channelOfSubmission(q.channelCode)} as channel_id ${sql.join(more, sql``)}`);
  return {
    duplicate: row?.same === true,
    otherContact: row?.other ? { applicationId: row.other.id, createdAt: new Date(row.other.created_at) } : undefined,
    otherCompanies: Number(row?.others ?? 0),
    channelId: row?.channel_id ?? null,
    also: Object.fromEntries(Object.keys(also).map((k) => [k, (row as Record<string, unknown>)[k]])) as X,
  };
}
