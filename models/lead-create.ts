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
import { actsOnLead } from '../server/policies';
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

/** The statement of `notifyNewLeads` (none for no lead), to run together with other writes. */
export function newLeadNotificationsSql(rows: LeadRow[], now: Date): SQL[] {
  if (rows.length === 0) return [];
  const picks = rows.map((l) => {
    const name = (l.productSnapshot as { name?: string }).name ?? '';
    const message = JSON.stringify({ zh: `新线索 #${l.id}（${name}）待受理`, en: `New lead #${l.id} (${name}) waiting to be accepted` });
    return sql`select ${users.id} as user_id, ${message}::jsonb as message, ${l.id}::int as lead_id from ${users} where ${actsOnLead(l)}`;
  });
  return [sql`
    insert into ${notifications} (user_id, kind, message, lead_id, created_at)
    select r.user_id, 'lead_new', r.message, r.lead_id, ${now.toISOString()}::timestamptz from (${sql.join(picks, sql` union all `)}) r`];
}
