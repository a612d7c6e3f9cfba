import type { Executor } from '../server/db';
import { deadlinesFor } from '../server/sla';
import type { ApplicationRow } from './applications';
import { productsByIds } from './applications-queries';
import { enqueueChange, type ChangeActor } from './lead-changes';
import { leadEvents, leads, type LeadRow } from './leads';
import { userIdsWhere } from './lead-queries';
import { notify } from './notifications';
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

/** Tells the staff who may act on each new lead (its bank's admins, the officers in its scope) that it is waiting. */
export async function notifyNewLeads(tx: Executor, rows: LeadRow[], now: Date): Promise<void> {
  for (const l of rows) {
    const name = (l.productSnapshot as { name?: string }).name ?? '';
    await notify(tx, await userIdsWhere(tx, actsOnLead(l)), {
      kind: 'lead_new', leadId: l.id,
      message: { zh: `新线索 #${l.id}（${name}）待受理`, en: `New lead #${l.id} (${name}) waiting to be accepted` },
    }, now);
  }
}
