import { shanghaiDate } from '../domain/lpr';
import { ValidationError } from '../errors';
import { currentRequestId } from '../middleware/request-context';
import { recordAudit } from '../../models/audit';
import { insertCase, type CoachingCaseRow, type CoachingGapRow } from '../../models/coaching';
import { existingProductIds } from '../../models/desk-lookups';
import type { CreateCoachingInput } from '../../routes/coaching/schema';
import type { CommandArgs } from './command';

/** Opens a case from a near miss: its gaps (each with a plan and a due date) and target products, audited, in one transaction. */
export async function openCoachingCase({ db, actor, input, now, ip }: CommandArgs<CreateCoachingInput>): Promise<{ row: CoachingCaseRow; gaps: CoachingGapRow[] }> {
  const past = input.gaps.findIndex((g) => g.dueOn < shanghaiDate(now));
  if (past >= 0) throw new ValidationError([{ in: 'body', path: `gaps.${past}.dueOn`, message: `gaps.${past}.dueOn must not be before today` }]);
  return db.transaction(async (tx) => {
    const known = await existingProductIds(tx, input.targetProductIds);
    const unknown = input.targetProductIds.findIndex((p) => !known.has(p));
    if (unknown >= 0) throw new ValidationError([{ in: 'body', path: `targetProductIds.${unknown}`, message: `targetProductIds.${unknown} names no product` }]);
    const made = await insertCase(tx, {
      uscc: input.uscc, companyName: input.companyName, phone: input.phone ?? null, smsOptIn: input.smsOptIn && input.phone !== undefined,
      targetProductIds: input.targetProductIds, company: input.company ?? null, need: input.need ?? null, note: input.note || null,
      openedBy: actor.id, openedAt: now, updatedAt: now,
    }, input.gaps.map((g) => ({ criterion: g.criterion, hint: g.hint || null, plan: g.plan, dueOn: g.dueOn })));
    await recordAudit(tx, { actor, action: 'coaching.open', entity: 'coaching_case', entityId: made.row.id, after: { ...made.row, phone: made.row.phone ? 'set' : null, gaps: made.gaps.length }, ip, requestId: currentRequestId() });
    return made;
  });
}
