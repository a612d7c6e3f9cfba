import { ConflictError, ValidationError } from '../errors';
import { mayDo } from '../domain/lead-lifecycle';
import { amendDueAt } from '../sla';
import { findLead } from '../../models/lead-queries';
import { recordLeadChange } from '../../models/lead-updates';
import type { LeadRow } from '../../models/leads';
import type { Amendment, Terms } from '../../routes/leads/present';
import type { AmendInput } from '../../routes/leads/schema';
import type { CommandArgs } from './command';
import { staffActor, withScopedLead } from './lead-work';

const termsOf = (l: LeadRow): Terms => ({ amount: l.termsAmount, ratePct: l.termsRatePct === null ? null : Number(l.termsRatePct), termMonths: l.termsMonths, guaranteeType: l.termsGuaranteeType });

/**
 * Corrects granted terms within 2 working days of the decision (SPEC), by the bank holding the lead:
 * the terms change, the applicant's confirmation is reset (they are asked again on the tracking page),
 * an `amended` event keeps the reason with the terms before and after, and the change is queued for
 * the bank's webhook and the applicant's message, all in one transaction. Outside the window, or for
 * a lead without granted terms, 409.
 */
export async function amendDecision({ db, actor, input, now }: CommandArgs<{ id: number } & AmendInput>): Promise<LeadRow> {
  return withScopedLead(db, actor, input.id, async (tx, lead) => {
    if (!mayDo('amend', lead, actor, now)) {
      const closed = lead.decidedAt !== null && lead.termsAmount !== null;
      throw new ConflictError({
        code: closed ? 'amend_window_closed' : 'invalid_transition',
        detail: closed ? `Terms can be corrected until ${amendDueAt(lead.decidedAt!).toISOString()} (2 working days after the decision).` : `Cannot amend a lead that is ${lead.status}; only granted terms are corrected.`,
        extra: { currentStatus: lead.status, action: 'amend', ...(closed ? { amendableUntil: amendDueAt(lead.decidedAt!).toISOString() } : {}) },
      });
    }
    const before = termsOf(lead);
    const after: Terms = {
      amount: input.amount ?? before.amount, ratePct: input.ratePct ?? before.ratePct,
      termMonths: input.termMonths ?? before.termMonths, guaranteeType: input.guaranteeType ?? before.guaranteeType,
    };
    const need = (await findLead(tx, lead.id))!.application.needAmount;
    if (input.amount !== undefined && input.amount > need && !input.aboveRequest) {
      throw new ValidationError([{ in: 'body', path: 'amount', message: `amount is above the ${need} requested; send aboveRequest: true if that is intended` }]);
    }
    if (input.amount !== undefined && lead.disbursedAmount !== null && input.amount < lead.disbursedAmount) {
      throw new ValidationError([{ in: 'body', path: 'amount', message: `amount cannot be below the ${lead.disbursedAmount} already disbursed` }]);
    }
    if (JSON.stringify(after) === JSON.stringify(before)) {
      throw new ValidationError([{ in: 'body', path: 'amount', message: 'these are the terms already recorded; send the ones that change' }]);
    }
    const note: Amendment = { reason: input.reason, before, after };
    return recordLeadChange(tx, lead, {
      patch: {
        termsAmount: after.amount, termsRatePct: after.ratePct!.toFixed(2), termsMonths: after.termMonths, termsGuaranteeType: after.guaranteeType,
        applicantConfirmation: null, applicantNote: null, applicantConfirmedAt: null,
      },
      actor: staffActor(actor), action: 'amended', note: JSON.stringify(note), now, feedEvent: 'amended',
    });
  });
}
