import { moveCase } from '../coaching';
import { ValidationError } from '../errors';
import { currentRequestId } from '../middleware/request-context';
import { recordAudit } from '../../models/audit';
import { findCase, gapsOf, markGapDone, updateCase, usccOfApplication, type CoachingCaseRow, type CoachingGapRow } from '../../models/coaching';
import type { UpdateCoachingInput } from '../../routes/coaching/schema';
import type { CommandArgs } from './command';
import { caseNotFound } from './not-found';

/** Moves the case (the one table of moves), links its application, ticks gaps, notes: one transaction, one audit row. */
export async function updateCoachingCase({ db, actor, input: { id, ...input }, now, ip }: CommandArgs<{ id: number } & UpdateCoachingInput>): Promise<{ row: CoachingCaseRow; gaps: CoachingGapRow[] }> {
  return db.transaction(async (tx) => {
    const before = await findCase(tx, id, true);
    if (!before) throw caseNotFound();
    const extra: Partial<CoachingCaseRow> = {};
    if (input.note !== undefined) extra.note = input.note || null;
    if (input.applicationId !== undefined) {
      if ((await usccOfApplication(tx, input.applicationId)) !== before.uscc) {
        throw new ValidationError([{ in: 'body', path: 'applicationId', message: "applicationId names no request of this case's company" }]);
      }
      extra.applicationId = input.applicationId;
    }
    const to = input.status ?? (input.applicationId !== undefined && (before.status === 'open' || before.status === 'ready') ? 'applied' : undefined);
    const row = to ? await moveCase(tx, before, to, now, extra) : await updateCase(tx, id, { ...extra, updatedAt: now });
    for (const [i, g] of (input.gaps ?? []).entries()) {
      if (!(await markGapDone(tx, id, g.id, g.done, now))) throw new ValidationError([{ in: 'body', path: `gaps.${i}.id`, message: `gaps.${i}.id names no gap of this case` }]);
    }
    await recordAudit(tx, { actor, action: 'coaching.update', entity: 'coaching_case', entityId: id, before: { status: before.status, applicationId: before.applicationId }, after: { status: row.status, applicationId: row.applicationId, note: input.note, gaps: input.gaps }, ip, requestId: currentRequestId() });
    return { row, gaps: await gapsOf(tx, [id]) };
  });
}
