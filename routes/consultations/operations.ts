import type { Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { shanghaiDayRange } from '../../server/domain/shanghai-range';
import { ValidationError } from '../../server/errors';
import { currentRequestId } from '../../server/middleware/request-context';
import { recordAudit } from '../../models/audit';
import { insertConsultation, type ConsultationFilter, type ConsultationRow } from '../../models/consultations';
import { existingProductIds } from '../../models/desk-lookups';
import type { ConsultationQuery, CreateConsultationInput } from './schema';

/** The filter of a list or export: `from` after `to` is a 400 on from. */
export function consultationFilter(q: ConsultationQuery): ConsultationFilter {
  if (q.from && q.to && q.from > q.to) throw new ValidationError([{ in: 'query', path: 'from', message: 'from must not be after to' }]);
  return { ...shanghaiDayRange(q.from, q.to), outcome: q.outcome, q: q.q };
}

/** Records one consultation (and its audit row) in one transaction; products discussed must exist. */
export async function recordConsultation(ctx: AppContext, actor: Actor, input: CreateConsultationInput, ip?: string): Promise<ConsultationRow> {
  return ctx.db.transaction(async (tx) => {
    const known = await existingProductIds(tx, input.productIds);
    const unknown = input.productIds.findIndex((p) => !known.has(p));
    if (unknown >= 0) throw new ValidationError([{ in: 'body', path: `productIds.${unknown}`, message: `productIds.${unknown} names no product` }]);
    const row = await insertConsultation(tx, {
      uscc: input.uscc ?? null, companyName: input.companyName, contactName: input.contactName ?? null, phone: input.phone ?? null,
      channel: input.channel, topics: input.topics, productIds: input.productIds, note: input.note || null, outcome: input.outcome,
      recordedBy: actor.id, createdAt: ctx.clock.now(),
    });
    await recordAudit(tx, { actor, action: 'consultation.create', entity: 'consultation', entityId: row.id, after: { ...row, phone: row.phone ? 'set' : null }, ip, requestId: currentRequestId() });
    return row;
  });
}
