/**
 * Credit coaching (信用辅导): a case follows a company that is not yet eligible until it is financed or closed.
 * The one table of allowed moves; every status change (by the desk, a watch, or a linked application) is
 * checked here.
 */
export const coachingStatuses = ['open', 'ready', 'applied', 'financed', 'closed'] as const;
export type CoachingStatus = (typeof coachingStatuses)[number];

export const coachingMoves: Record<CoachingStatus, readonly CoachingStatus[]> = {
  open: ['ready', 'applied', 'closed'],
  ready: ['open', 'applied', 'closed'],
  applied: ['financed', 'open', 'closed'],
  financed: [],
  closed: ['open'],
};

/** Statuses in which the case still waits on something: gaps remind, a watch may turn it ready. */
export const activeCoachingStatuses: readonly CoachingStatus[] = ['open', 'ready', 'applied'];

export function canMoveCoaching(from: CoachingStatus, to: CoachingStatus): boolean {
  return coachingMoves[from].includes(to);
}
