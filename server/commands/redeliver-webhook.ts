import { currentRequestId } from '../middleware/request-context';
import { assertManagesBank } from '../policies';
import { recordAudit } from '../../models/audit';
import { findBank } from '../../models/banks';
import type { OutboxRow } from '../../models/leads';
import { requeueDelivery } from '../../models/webhook-deliveries';
import type { CommandArgs } from './command';
import { bankNotFound, deliveryNotFound } from './not-found';

/** Sends a delivery again now (dead-lettered, or delivered and lost by the bank); it gets a fresh set of tries. */
export async function redeliverWebhook({ db, actor, input, now, ip }: CommandArgs<{ bankId: number; deliveryId: string }>): Promise<OutboxRow> {
  assertManagesBank(actor, input.bankId, bankNotFound);
  if (!(await findBank(db, input.bankId))) throw bankNotFound();
  const row = await requeueDelivery(db, input.bankId, input.deliveryId, now);
  if (!row) throw deliveryNotFound();
  await recordAudit(db, { actor, action: 'bank.webhook_redeliver', entity: 'outbox', entityId: row.deliveryId, bankId: input.bankId, ip, requestId: currentRequestId() });
  return row;
}
