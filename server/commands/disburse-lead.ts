import { ValidationError } from '../errors';
import { nextStatus } from '../domain/lead-lifecycle';
import { shanghaiDate } from '../domain/lpr';
import { assertWorksLeads } from '../policies';
import { applyTransition } from '../../models/lead-changes';
import { findLead } from '../../models/lead-queries';
import type { LeadRow } from '../../models/leads';
import type { CommandArgs } from './command';
import { staffActor, withScopedLead } from './lead-work';

/**
 * The loan paid out (approved → disbursed): on a day between the request's day and today (both
 * Asia/Shanghai), never more than was approved. A lead that cannot be disbursed now answers 409 first.
 */
export async function disburseLead({ db, actor, input, now }: CommandArgs<{ id: number; amount: number; disbursedOn: string }>): Promise<LeadRow> {
  assertWorksLeads(actor);
  return withScopedLead(db, actor, input.id, async (tx, lead) => {
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
    return applyTransition(tx, lead, 'disburse', { actor: staffActor(actor), now, patch: { disbursedAmount: input.amount, disbursedOn: input.disbursedOn } });
  });
}
