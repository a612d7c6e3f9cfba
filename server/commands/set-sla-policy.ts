import { currentRequestId } from '../middleware/request-context';
import { recordAudit } from '../../models/audit';
import { findBank } from '../../models/banks';
import { insertSlaPolicy, type SlaPolicy } from '../../models/sla';
import type { CommandArgs } from './command';
import { bankNotFound } from './not-found';

/** The desk sets the city default (no bankId) or a bank's own deadlines; they apply to leads created from `now` on. */
export async function setSlaPolicy({ db, actor, input, now, ip }: CommandArgs<SlaPolicy & { bankId?: number }>): Promise<void> {
  if (input.bankId !== undefined && !(await findBank(db, input.bankId))) throw bankNotFound();
  await db.transaction(async (tx) => {
    await insertSlaPolicy(tx, { ...input, bankId: input.bankId ?? null, effectiveFrom: now, createdBy: actor.id });
    await recordAudit(tx, { actor, action: 'sla.policy', entity: 'sla_policy', entityId: input.bankId ?? 'default', bankId: input.bankId ?? null, after: input, ip, requestId: currentRequestId() });
  });
}
