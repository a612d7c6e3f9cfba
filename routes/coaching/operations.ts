import { eq } from 'drizzle-orm';
import type { Actor } from '../../server/auth';
import { moveCase } from '../../server/coaching';
import type { AppContext } from '../../server/context';
import { shanghaiDate } from '../../server/domain/lpr';
import { NotFoundError, ValidationError } from '../../server/errors';
import { currentRequestId } from '../../server/middleware/request-context';
import { applications, companies } from '../../models/applications';
import { recordAudit } from '../../models/audit';
import { findCase, gapsOf, insertCase, markGapDone, updateCase, type CoachingCaseRow, type CoachingGapRow } from '../../models/coaching';
import { existingProductIds } from '../../models/desk-lookups';
import type { CreateCoachingInput, UpdateCoachingInput } from './schema';

export const caseNotFound = () => new NotFoundError({ code: 'coaching_case_not_found', detail: 'No such coaching case.' });

/** Opens a case from a near miss: its gaps (each with a plan and a due date) and target products, audited, in one transaction. */
export async function openCase(ctx: AppContext, actor: Actor, input: CreateCoachingInput, ip?: string): Promise<{ row: CoachingCaseRow; gaps: CoachingGapRow[] }> {
  const now = ctx.clock.now();
  const past = input.gaps.findIndex((g) => g.dueOn < shanghaiDate(now));
  if (past >= 0) throw new ValidationError([{ in: 'body', path: `gaps.${past}.dueOn`, message: `gaps.${past}.dueOn must not be before today` }]);
  return ctx.db.transaction(async (tx) => {
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

export async function getCase(ctx: AppContext, id: number) {
  const row = await findCase(ctx.db, id);
  if (!row) throw caseNotFound();
  return { row, gaps: await gapsOf(ctx.db, [id]) };
}

/** Moves the case (the one table of moves), links its application, ticks gaps, notes: one transaction, one audit row. */
export async function changeCase(ctx: AppContext, actor: Actor, id: number, input: UpdateCoachingInput, ip?: string) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const before = await findCase(tx, id, true);
    if (!before) throw caseNotFound();
    const extra: Partial<CoachingCaseRow> = {};
    if (input.note !== undefined) extra.note = input.note || null;
    if (input.applicationId !== undefined) {
      const [app] = await tx.select({ uscc: companies.uscc }).from(applications).innerJoin(companies, eq(companies.id, applications.companyId)).where(eq(applications.id, input.applicationId));
      if (!app || app.uscc !== before.uscc) throw new ValidationError([{ in: 'body', path: 'applicationId', message: "applicationId names no request of this case's company" }]);
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
