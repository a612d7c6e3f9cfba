import { maskPhone } from '../../server/domain/mask';
import { coachingMoves } from '../../server/domain/coaching';
import type { CoachingCaseRow, CoachingGapRow } from '../../models/coaching';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A case as the desk reads it: gaps with their plan and date, the moves it allows now (pages draw buttons from them). */
export function presentCase(r: CoachingCaseRow, gaps: CoachingGapRow[], today: string) {
  return {
    id: r.id, uscc: r.uscc, companyName: r.companyName, phone: r.phone ? maskPhone(r.phone) : null, smsOptIn: r.smsOptIn,
    status: r.status, actions: coachingMoves[r.status], targetProductIds: r.targetProductIds, note: r.note,
    applicationId: r.applicationId, watching: r.company !== null,
    openedBy: r.openedBy, openedAt: r.openedAt.toISOString(), readyAt: iso(r.readyAt), appliedAt: iso(r.appliedAt),
    financedAt: iso(r.financedAt), closedAt: iso(r.closedAt),
    gaps: gaps.filter((g) => g.caseId === r.id).map((g) => ({
      id: g.id, criterion: g.criterion, hint: g.hint, plan: g.plan, dueOn: g.dueOn, done: g.doneAt !== null,
      overdue: g.doneAt === null && g.dueOn < today,
    })),
  };
}
export type CoachingCaseAnswer = ReturnType<typeof presentCase>;
