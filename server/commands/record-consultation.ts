import { ValidationError } from '../errors';
import { currentRequestId } from '../middleware/request-context';
import { recordAudit } from '../../models/audit';
import { insertConsultation, type ConsultationRow } from '../../models/consultations';
import { existingProductIds } from '../../models/desk-lookups';
import type { CreateConsultationInput } from '../../routes/consultations/schema';
import type { CommandArgs } from './command';

/** Records one consultation (and its audit row) in one transaction; products discussed must exist. */
export async function recordConsultation({ db, actor, input, now, ip }: CommandArgs<CreateConsultationInput>): Promise<ConsultationRow> {
  return db.transaction(async (tx) => {
    const known = await existingProductIds(tx, input.productIds);
    const unknown = input.productIds.findIndex((p) => !known.has(p));
    if (unknown >= 0) throw new ValidationError([{ in: 'body', path: `productIds.${unknown}`, message: `productIds.${unknown} names no product` }]);
    const row = await insertConsultation(tx, {
      uscc: input.uscc ?? null, companyName: input.companyName, contactName: input.contactName ?? null, phone: input.phone ?? null,
      channel: input.channel, topics: input.topics, productIds: input.productIds, note: input.note || null, outcome: input.outcome,
      recordedBy: actor.id, createdAt: now,
    });
    await recordAudit(tx, { actor, action: 'consultation.create', entity: 'consultation', entityId: row.id, after: { ...row, phone: row.phone ? 'set' : null }, ip, requestId: currentRequestId() });
    return row;
  });
}
