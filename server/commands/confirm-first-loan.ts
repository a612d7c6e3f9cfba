import { ConflictError } from '../errors';
import { mayDo } from '../domain/lead-lifecycle';
import { assertWorksLeads } from '../policies';
import { recordLeadChange } from '../../models/lead-updates';
import type { LeadRow } from '../../models/leads';
import type { CommandArgs } from './command';
import { staffActor, withScopedLead } from './lead-work';

/** The bank confirms or corrects "never had a bank loan" after checking the credit report, once, whatever the status since acceptance; no status change. */
export async function confirmFirstLoan({ db, actor, input, now }: CommandArgs<{ id: number; isFirstLoan: boolean }>): Promise<LeadRow> {
  assertWorksLeads(actor);
  return withScopedLead(db, actor, input.id, async (tx, lead) => {
    if (!mayDo('confirm_first_loan', lead, actor, now)) {
      throw new ConflictError({
        code: 'invalid_transition', extra: { currentStatus: lead.status, action: 'confirm_first_loan' },
        detail: lead.claimedAt === null ? 'Accept the lead before recording the credit-report check.' : 'The credit-report check is already recorded.',
      });
    }
    return recordLeadChange(tx, lead, {
      patch: { firstLoanConfirmed: input.isFirstLoan }, actor: staffActor(actor), action: 'first_loan_checked', now,
      note: input.isFirstLoan ? 'confirmed first loan' : 'corrected: has had a bank loan', feedEvent: 'lead.first_loan_checked',
    });
  });
}
