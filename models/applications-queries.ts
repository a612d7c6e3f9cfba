import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { queryRows } from '../server/sql';
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
 * this phone applied for; and the channel of the code (without one, the city's online channel).
 */
export async function submissionChecks(db: Executor, q: { companyId: number; productIds: number[]; phone: string; channelCode?: string; duplicateSince: Date; brokerSince: Date }): Promise<SubmissionChecks> {
  const [row] = await queryRows<{ same: boolean; other: { id: number; created_at: string } | null; others: number; channel_id: number | null }>(db, sql`
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
      ${channelOfSubmission(q.channelCode)} as channel_id`);
  return {
    duplicate: row?.same === true,
    otherContact: row?.other ? { applicationId: row.other.id, createdAt: new Date(row.other.created_at) } : undefined,
    otherCompanies: Number(row?.others ?? 0),
    channelId: row?.channel_id ?? null,
  };
}

/**
 * Consents for the recipient banks, the leads and their first events, written in one statement
 * (one round trip instead of three). Answers the leads in insertion order.
 */
export async function insertDispatch(db: Executor, d: {
  applicationId: number; consents: { bankId: number; purpose: 'dispatch' | 'standby' }[]; version: string; ip: string | null; now: Date; open: boolean; note: string | null;
  leads: { bankId: number; productId: number; snapshot: unknown; branchId: number | null; officerId: number | null; deadlines: { acceptDueAt: Date; contactDueAt: Date; decisionDueAt: Date; escalateAt: Date } }[];
}): Promise<{ id: number; bankId: number; productId: number; status: string }[]> {
  const now = d.now.toISOString();
  const rows = await queryRows<{ id: number; bank_id: number; product_id: number; status: string }>(db, sql`
    with c as (
      insert into consents (application_id, bank_id, purpose, version, granted_at, ip)
      select ${d.applicationId}, x.bank_id, x.purpose, ${d.version}, ${now}::timestamptz, ${d.ip}
      from jsonb_to_recordset(${JSON.stringify(d.consents.map((c) => ({ bank_id: c.bankId, purpose: c.purpose })))}::jsonb) as x(bank_id int, purpose text)
    ), l as (
      insert into leads (application_id, bank_id, product_id, product_snapshot, branch_id, officer_id, open, status, created_at, updated_at,
        accept_due_at, contact_due_at, decision_due_at, escalate_at)
      select ${d.applicationId}, x.bank_id, x.product_id, x.snapshot, x.branch_id, x.officer_id, ${d.open}, 'new', ${now}::timestamptz, ${now}::timestamptz,
        x.accept_due_at, x.contact_due_at, x.decision_due_at, x.escalate_at
      from jsonb_to_recordset(${JSON.stringify(d.leads.map((l) => ({
        bank_id: l.bankId, product_id: l.productId, snapshot: l.snapshot, branch_id: l.branchId, officer_id: l.officerId,
        accept_due_at: l.deadlines.acceptDueAt, contact_due_at: l.deadlines.contactDueAt, decision_due_at: l.deadlines.decisionDueAt, escalate_at: l.deadlines.escalateAt,
      })))}::jsonb)
        as x(bank_id int, product_id int, snapshot jsonb, branch_id int, officer_id int, accept_due_at timestamptz, contact_due_at timestamptz, decision_due_at timestamptz, escalate_at timestamptz)
      returning id, bank_id, product_id, status
    ), e as (
      insert into lead_events (lead_id, at, actor_type, action, to_status, note)
      select id, ${now}::timestamptz, 'applicant', 'created', 'new', ${d.note} from l
    )
    select id, bank_id, product_id, status from l order by id`);
  return rows.map((r) => ({ id: r.id, bankId: r.bank_id, productId: r.product_id, status: r.status }));
}
