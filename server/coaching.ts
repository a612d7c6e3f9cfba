import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { toFacts, type CompanyProfile, type Need } from '../matchers/facts';
import type { Matcher } from '../matchers/matcher';
import { applications, companies } from '../models/applications';
import { activeCasesOf, coachingCases, updateCase, type CoachingCaseRow } from '../models/coaching';
import { leads } from '../models/leads';
import { deskIds, notify } from '../models/notifications';
import type { Executor } from './db';
import { canMoveCoaching, coachingMoves, type CoachingStatus } from './domain/coaching';
import { shanghaiDate } from './domain/lpr';
import { ConflictError } from './errors';

/** The timestamp each status sets when a case enters it. */
const stamp: Partial<Record<CoachingStatus, 'readyAt' | 'appliedAt' | 'financedAt' | 'closedAt'>> = {
  ready: 'readyAt', applied: 'appliedAt', financed: 'financedAt', closed: 'closedAt',
};

/**
 * Moves a case (locked by the caller) to `to`, checked against the one table of moves: a move it does not allow
 * is a 409 naming the current status and the allowed ones.
 */
export async function moveCase(tx: Executor, kase: CoachingCaseRow, to: CoachingStatus, at: Date, extra: Partial<typeof coachingCases.$inferInsert> = {}): Promise<CoachingCaseRow> {
  if (kase.status === to) return updateCase(tx, kase.id, { ...extra, updatedAt: at });
  if (!canMoveCoaching(kase.status, to)) {
    throw new ConflictError({
      code: 'coaching_move_not_allowed', detail: `A ${kase.status} case cannot become ${to}.`,
      extra: { currentStatus: kase.status, allowed: coachingMoves[kase.status] },
    });
  }
  const field = stamp[to];
  return updateCase(tx, kase.id, { ...extra, status: to, ...(field ? { [field]: at } : {}), ...(to === 'open' ? { closedAt: null } : {}), updatedAt: at });
}

/**
 * A watch on the company found these products eligible: each open case of that company with one of them among
 * its targets turns `ready`, and the desk is told. This is the one function a watch calls (the re-matcher of
 * issue 19 for a watch the company made itself; rematchCoachingCases below for the case's own profile).
 */
export async function markCoachingReady(tx: Executor, uscc: string, eligibleProductIds: number[], now: Date): Promise<number> {
  let turned = 0;
  for (const kase of await activeCasesOf(tx, uscc, ['open'])) {
    const hits = kase.targetProductIds.filter((p) => eligibleProductIds.includes(p));
    if (hits.length === 0) continue;
    await moveCase(tx, kase, 'ready', now);
    await notify(tx, await deskIds(tx), {
      kind: 'coaching_ready',
      message: { zh: `信用辅导：${kase.companyName} 已符合目标产品条件（产品 ${hits.join('、')}），可协助申请`, en: `Coaching: ${kase.companyName} now qualifies for target product(s) ${hits.join(', ')}; help it apply` },
    }, now);
    turned++;
  }
  return turned;
}

/**
 * The case's own watch: every open case holding the near miss's profile is matched again (years in operation
 * grow with the date; a new or changed product may now fit) and turns ready when a target product is eligible.
 */
export async function rematchCoachingCases(db: Executor, matcher: Matcher, now: Date): Promise<number> {
  const open = await db.select().from(coachingCases).where(and(eq(coachingCases.status, 'open'), sql`${coachingCases.company} is not null`));
  const today = shanghaiDate(now);
  let turned = 0;
  for (const kase of open) {
    const eligible = matcher.match(toFacts(kase.company as CompanyProfile, kase.need as Need, today))
      .filter((r) => r.eligible && kase.targetProductIds.includes(r.product.id)).map((r) => r.product.id);
    if (eligible.length) turned += await markCoachingReady(db, kase.uscc, eligible, now);
  }
  return turned;
}

/**
 * The application comes: an active case without one is linked to the company's first request sent since the
 * case opened (moved to applied), and a linked case whose request has a disbursed lead becomes financed, at
 * the disbursement's time (what the report measures).
 */
export async function syncCoachingWithApplications(db: Executor): Promise<{ applied: number; financed: number }> {
  const out = { applied: 0, financed: 0 };
  const waiting = await db.select().from(coachingCases).where(and(inArray(coachingCases.status, ['open', 'ready']), isNull(coachingCases.applicationId)));
  for (const kase of waiting) {
    const [app] = await db.select({ id: applications.id, createdAt: applications.createdAt }).from(applications).innerJoin(companies, eq(companies.id, applications.companyId))
      .where(and(eq(companies.uscc, kase.uscc), gt(applications.createdAt, kase.openedAt))).orderBy(applications.createdAt).limit(1);
    if (!app) continue;
    await moveCase(db, kase, 'applied', app.createdAt, { applicationId: app.id });
    out.applied++;
  }
  const applied = await db.select().from(coachingCases).where(and(eq(coachingCases.status, 'applied'), sql`${coachingCases.applicationId} is not null`));
  for (const kase of applied) {
    const [lead] = await db.select({ at: leads.disbursedAt }).from(leads)
      .where(and(eq(leads.applicationId, kase.applicationId!), eq(leads.status, 'disbursed'))).orderBy(leads.disbursedAt).limit(1);
    if (!lead?.at) continue;
    await moveCase(db, kase, 'financed', lead.at);
    out.financed++;
  }
  return out;
}

/**
 * A batch of watches re-matched (issue 19's watch-rematch): the companies with an open case among them turn
 * ready through markCoachingReady. One query for the batch; nothing is done for companies without a case.
 */
export async function readyFromWatches(db: Executor, eligible: { uscc: string | undefined; productIds: number[] }[], now: Date): Promise<number> {
  const wanted = eligible.filter((e): e is { uscc: string; productIds: number[] } => !!e.uscc && e.productIds.length > 0);
  if (wanted.length === 0) return 0;
  const open = await db.selectDistinct({ uscc: coachingCases.uscc }).from(coachingCases)
    .where(and(eq(coachingCases.status, 'open'), inArray(coachingCases.uscc, [...new Set(wanted.map((w) => w.uscc))])));
  const withCase = new Set(open.map((o) => o.uscc));
  let turned = 0;
  for (const w of wanted) if (withCase.has(w.uscc)) turned += await db.transaction((tx) => markCoachingReady(tx, w.uscc, w.productIds, now));
  return turned;
}
