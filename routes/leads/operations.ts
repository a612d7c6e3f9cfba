import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { ConflictError, ForbiddenError, ValidationError } from '../../server/errors';
import { mayDo, nextStatus } from '../../server/domain/lead-lifecycle';
import { shanghaiDate } from '../../server/domain/lpr';
import { currentRequestId } from '../../server/middleware/request-context';
import { recordAudit } from '../../models/audit';
import { branches } from '../../models/banks';
import { applyTransition, enqueueChange } from '../../models/lead-changes';
import { leadScope, seesContact } from '../../server/policies';
import { consentFor, eventsOf, findLead, lockLead, type LeadWithApplication } from '../../models/lead-queries';
import { compileProduct, explain, type MatchProduct } from '../../matchers/matcher';
import { toFacts } from '../../matchers/facts';
import { leadEvents, leads, type LeadRow } from '../../models/leads';
import { users } from '../../models/users';
import { leadNotFound } from './claim';
import { presentLeadDetail } from './present';
import type { DecisionInput } from './schema';

const staff = (actor: Actor) => ({ type: 'staff' as const, id: actor.id });

/** Only the bank holding a lead works it; the desk and admins read it. */
function assertBankUser(actor: Actor) {
  if (actor.role !== 'bank_admin' && actor.role !== 'bank_officer') throw new ForbiddenError({ detail: 'Only the bank holding the lead can do this.' });
}

/** The lead in full. Reading the applicant's unmasked contact is written to the audit log. */
export async function readLead(ctx: AppContext, actor: Actor, id: number, ip?: string) {
  const r = await findLead(ctx.db, id, leadScope(actor));
  if (!r) throw leadNotFound();
  if (seesContact(actor, r.lead)) {
    await recordAudit(ctx.db, { actor, action: 'lead.read_contact', entity: 'lead', entityId: id, bankId: r.lead.bankId, ip, requestId: currentRequestId() });
  }
  const [events, consent] = await Promise.all([eventsOf(ctx.db, id), consentFor(ctx.db, r.lead.applicationId, r.lead.bankId)]);
  return presentLeadDetail(r, actor, events, ctx.clock.now(), { consent, match: matchAtRequest(r), matchRecomputed: true });
}

/**
 * How the lead's product judged the company when the request was made. Submission does not store
 * the match, so it is worked out again from what was stored: the company and need as declared, the
 * product version's snapshot, on the request's own day (years in operation as they were then).
 */
function matchAtRequest({ lead, application: a }: LeadWithApplication) {
  const p = lead.productSnapshot as Omit<MatchProduct, 'bankId'>;
  const compiled = compileProduct({ ...p, id: lead.productId, bankId: lead.bankId, bankName: p.bankName ?? '', criteria: p.criteria ?? {} });
  return explain(compiled, toFacts(a.companySnapshot, { amount: a.needAmount, termMonths: a.needTermMonths }, shanghaiDate(a.createdAt)));
}

async function withLead<T>(ctx: AppContext, actor: Actor, id: number, work: (tx: Parameters<Parameters<AppContext['db']['transaction']>[0]>[0], lead: LeadRow, now: Date) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    const lead = await lockLead(tx, id, leadScope(actor));
    if (!lead) throw leadNotFound();
    return work(tx, lead, ctx.clock.now());
  });
}

/** A bank admin hands a lead to a branch and/or officer: a new lead is thereby accepted; an accepted one is reassigned. */
export async function assignLead(ctx: AppContext, actor: Actor, id: number, input: { officerId?: number; branchId?: number }) {
  return withLead(ctx, actor, id, async (tx, lead, now) => {
    let branchId = input.branchId ?? lead.branchId;
    let officerId = lead.officerId;
    if (input.officerId !== undefined) {
      const [officer] = await tx.select().from(users)
        .where(and(eq(users.id, input.officerId), eq(users.bankId, lead.bankId), eq(users.role, 'bank_officer'), eq(users.active, true)));
      if (!officer) throw new ValidationError([{ in: 'body', path: 'officerId', message: 'officerId names no active officer of this bank' }]);
      // An officer tied to a branch only sees that branch's leads (server/policies.ts): the lead goes there with them.
      if (input.branchId !== undefined && officer.branchId !== null && officer.branchId !== input.branchId) {
        throw new ValidationError([{ in: 'body', path: 'branchId', message: 'the officer works at another branch; send their branch or only officerId' }]);
      }
      officerId = officer.id;
      if (input.branchId === undefined && officer.branchId !== null) branchId = officer.branchId;
    }
    if (input.branchId !== undefined) {
      const [branch] = await tx.select({ id: branches.id }).from(branches).where(and(eq(branches.id, input.branchId), eq(branches.bankId, lead.bankId)));
      if (!branch) throw new ValidationError([{ in: 'body', path: 'branchId', message: 'branchId names no branch of this bank' }]);
      if (input.officerId === undefined && officerId !== null) {
        // Moving to another branch releases an officer of the old branch, who could no longer see the lead.
        const [holder] = await tx.select({ branchId: users.branchId }).from(users).where(eq(users.id, officerId));
        if (holder?.branchId !== null && holder?.branchId !== input.branchId) officerId = null;
      }
    }
    const action = lead.status === 'new' ? 'assign' : 'reassign';
    return applyTransition(tx, lead, action, { actor: staff(actor), now, patch: { branchId, officerId }, event: action, note: officerId ? `officer ${officerId}` : `branch ${branchId}` });
  });
}

/** First contact with the applicant (claimed → contacted); an officer logging it takes the lead if nobody had. */
export async function contactLead(ctx: AppContext, actor: Actor, id: number, note?: string) {
  assertBankUser(actor);
  return withLead(ctx, actor, id, (tx, lead, now) => applyTransition(tx, lead, 'contact', {
    actor: staff(actor), now, note: note || null,
    patch: { officerId: lead.officerId ?? (actor.role === 'bank_officer' ? actor.id : null) },
  }));
}

/** The bank's decision: terms granted (approved) or a structured reason (declined), and optionally its first-loan finding. */
export async function decideLead(ctx: AppContext, actor: Actor, id: number, input: DecisionInput) {
  assertBankUser(actor);
  return withLead(ctx, actor, id, async (tx, lead, now) => {
    if (input.outcome === 'approved') {
      const need = (await findLead(tx, lead.id))!.application.needAmount;
      if (input.amount! > need && !input.aboveRequest) {
        throw new ValidationError([{ in: 'body', path: 'amount', message: `amount is above the ${need} requested; send aboveRequest: true if that is intended` }]);
      }
      return applyTransition(tx, lead, 'approve', {
        actor: staff(actor), now, note: input.note || null,
        patch: { termsAmount: input.amount, termsRatePct: input.ratePct!.toFixed(2), termsMonths: input.termMonths, termsGuaranteeType: input.guaranteeType, decisionNote: input.note || null, ...(input.firstLoanConfirmed !== undefined ? { firstLoanConfirmed: input.firstLoanConfirmed } : {}) },
      });
    }
    return applyTransition(tx, lead, 'decline', {
      actor: staff(actor), now, note: input.note || input.reasonCode,
      patch: { declineReason: input.reasonCode, decisionNote: input.note || null, ...(input.firstLoanConfirmed !== undefined ? { firstLoanConfirmed: input.firstLoanConfirmed } : {}) },
    });
  });
}

/**
 * The loan paid out (approved → disbursed): on a day between the request's day and today (both
 * Asia/Shanghai), never more than was approved. A lead that cannot be disbursed now answers 409 first.
 */
export async function disburseLead(ctx: AppContext, actor: Actor, id: number, input: { amount: number; disbursedOn: string }) {
  assertBankUser(actor);
  return withLead(ctx, actor, id, async (tx, lead, now) => {
    if (nextStatus('disburse', lead.status)) {
      const appliedOn = shanghaiDate((await findLead(tx, lead.id))!.application.createdAt);
      const today = shanghaiDate(now);
      if (input.disbursedOn < appliedOn || input.disbursedOn > today) {
        throw new ValidationError([{ in: 'body', path: 'disbursedOn', message: `disbursedOn must lie between the request's day ${appliedOn} and today ${today}` }]);
      }
      if (lead.termsAmount === null || input.amount > lead.termsAmount) {
        throw new ValidationError([{ in: 'body', path: 'amount', message: `amount cannot exceed the ${lead.termsAmount ?? 0} approved` }]);
      }
    }
    return applyTransition(tx, lead, 'disburse', { actor: staff(actor), now, patch: { disbursedAmount: input.amount, disbursedOn: input.disbursedOn } });
  });
}

/** The bank confirms or corrects "never had a bank loan" after checking the credit report, once, whatever the status since acceptance; no status change. */
export async function checkFirstLoan(ctx: AppContext, actor: Actor, id: number, isFirstLoan: boolean) {
  assertBankUser(actor);
  return withLead(ctx, actor, id, async (tx, lead, now) => {
    if (!mayDo('confirm_first_loan', lead, actor, now)) {
      throw new ConflictError({
        code: 'invalid_transition', extra: { currentStatus: lead.status, action: 'confirm_first_loan' },
        detail: lead.claimedAt === null ? 'Accept the lead before recording the credit-report check.' : 'The credit-report check is already recorded.',
      });
    }
    const [updated] = await tx.update(leads).set({ firstLoanConfirmed: isFirstLoan, updatedAt: now }).where(eq(leads.id, lead.id)).returning();
    await tx.insert(leadEvents).values({ leadId: lead.id, at: now, actorType: 'staff', actorId: actor.id, action: 'first_loan_checked', fromStatus: lead.status, toStatus: lead.status, note: isFirstLoan ? 'confirmed first loan' : 'corrected: has had a bank loan' });
    await enqueueChange(tx, updated!, 'lead.first_loan_checked', now);
    return updated!;
  });
}
