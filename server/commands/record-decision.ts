import { ValidationError } from '../errors';
import { assertWorksLeads } from '../policies';
import { applyTransition } from '../../models/lead-changes';
import { findLead } from '../../models/lead-queries';
import type { LeadRow } from '../../models/leads';
import type { DecisionInput } from '../../routes/leads/schema';
import type { CommandArgs } from './command';
import { staffActor, withScopedLead } from './lead-work';

/** The bank's decision: terms granted (approved) or a structured reason (declined), and optionally its first-loan finding. */
export async function recordDecision({ db, actor, input, now }: CommandArgs<{ id: number } & DecisionInput>): Promise<LeadRow> {
  assertWorksLeads(actor);
  const firstLoan = input.firstLoanConfirmed !== undefined ? { firstLoanConfirmed: input.firstLoanConfirmed } : {};
  return withScopedLead(db, actor, input.id, async (tx, lead) => {
    if (input.outcome === 'approved') {
      const need = (await findLead(tx, lead.id))!.application.needAmount;
      if (input.amount! > need && !input.aboveRequest) {
        throw new ValidationError([{ in: 'body', path: 'amount', message: `amount is above the ${need} requested; send aboveRequest: true if that is intended` }]);
      }
      return applyTransition(tx, lead, 'approve', {
        actor: staffActor(actor), now, note: input.note || null,
        patch: { termsAmount: input.amount, termsRatePct: input.ratePct!.toFixed(2), termsMonths: input.termMonths, termsGuaranteeType: input.guaranteeType, decisionNote: input.note || null, ...firstLoan },
      });
    }
    return applyTransition(tx, lead, 'decline', {
      actor: staffActor(actor), now, note: input.note || input.reasonCode,
      patch: { declineReason: input.reasonCode, decisionNote: input.note || null, ...firstLoan },
    });
  });
}
