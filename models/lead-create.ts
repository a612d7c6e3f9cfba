import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { executeTogether } from '../server/sql';
import { deadlinesFor } from '../server/sla';
import type { ApplicationRow } from './applications';
import { productsByIds } from './applications-queries';
import { enqueueChange, type ChangeActor } from './lead-changes';
import { leadEvents, leads, type LeadRow } from './leads';
import { notifications } from './jobs';
import { users } from './users';
import { actsOnLeadAt } from '../server/policies';
import { productFields } from './products';
import { routeLead } from './routing';
import { policyFor } from './sla';

/**
 * One more lead for a request already on file (a second look, or the desk handing it to another bank):
 * routed, with the bank's SLA deadlines from now, the product's snapshot, its first event and its
 * queued change, in the caller's transaction.
 */
export async function addLead(tx: Executor, a: ApplicationRow, productId: number, o: { now: Date; actor: ChangeActor; note: string; secondLook?: boolean }): Promise<LeadRow> {
  const [p] = await productsByIds(tx, [productId]);
  if (!p) throw new Error(`product ${productId} vanished`);
  const bankId = p.product.bankId;
  const route = await routeLead(tx, bankId, a.companySnapshot.district!);
  const deadlines = deadlinesFor(o.now, await policyFor(tx, bankId, o.now));
  const [lead] = await tx.insert(leads).values({
    applicationId: a.id, bankId, productId, secondLook: o.secondLook ?? false, status: 'new', createdAt: o.now, updatedAt: o.now, ...route, ...deadlines,
    productSnapshot: { id: p.product.id, bankName: p.bankName, code: p.product.code, version: p.product.version, ...productFields(p.product) },
  }).returning();
  await tx.insert(leadEvents).values({ leadId: lead!.id, at: o.now, actorType: o.actor.type, actorId: o.actor.id ?? null, action: 'created', toStatus: 'new', note: o.note });
  await notifyNewLeads(tx, [lead!], o.now);
  await enqueueChange(tx, lead!, 'lead.created', o.now);
  return lead!;
}

/**
 * Tells the staff who may act on each new lead (its bank's admins, the officers in its scope) that it
 * is waiting: one INSERT … SELECT for all the leads, each lead's recipients chosen by `actsOnLead`.
 */
export async function notifyNewLeads(tx: Executor, rows: LeadRow[], now: Date): Promise<void> {
  await executeTogether(tx, newLeadNotificationsSql(rows, now));
}

/**
 * The statement of `notifyNewLeads` (none for no lead), to run together with other writes. The leads go as
 * one JSON parameter: the text is the same for any number of leads and any routing (it is prepared).
 */
export function newLeadNotificationsSql(rows: LeadRow[], now: Date): SQL[] {
  if (rows.length === 0) return [];
  const json = JSON.stringify(rows.map((l, n) => {
    const name = (l.productSnapshot as { name?: string }).name ?? '';
    const message = { zh: `新线索 #${l.id}（${name}）待受理`, en: `New lead #${l.id} (${name}) waiting to be accepted` };
    return { n, id: l.id, bank_id: l.bankId, branch_id: l.branchId, officer_id: l.officerId, status: l.status, message };
  }));
  const lead = { bankId: sql`l.bank_id`, branchId: sql`l.branch_id`, officerId: sql`l.officer_id`, status: sql`l.status` };
  return [sql`
    insert into ${notifications} (user_id, kind, message, lead_id, created_at)
    select ${users.id}, 'lead_new', l.message, l.id, ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${json}::jsonb) as l(n int, id int, bank_id int, branch_id int, officer_id int, status text, message jsonb)
      join ${users} on ${actsOnLeadAt(lead)}
     order by l.n, ${users.id}`];
}
