import { ValidationError } from '../errors';
import { findBranch } from '../../models/banks';
import { applyTransition } from '../../models/lead-changes';
import type { LeadRow } from '../../models/leads';
import { findActiveOfficer, findUserById } from '../../models/users';
import type { CommandArgs } from './command';
import { staffActor, withScopedLead } from './lead-work';

/** A bank admin hands a lead to a branch and/or officer: a new lead is thereby accepted; an accepted one is reassigned. */
export async function assignLead({ db, actor, input, now }: CommandArgs<{ id: number; officerId?: number; branchId?: number }>): Promise<LeadRow> {
  return withScopedLead(db, actor, input.id, async (tx, lead) => {
    let branchId = input.branchId ?? lead.branchId;
    let officerId = lead.officerId;
    if (input.officerId !== undefined) {
      const officer = await findActiveOfficer(tx, input.officerId, lead.bankId);
      if (!officer) throw new ValidationError([{ in: 'body', path: 'officerId', message: 'officerId names no active officer of this bank' }]);
      // An officer tied to a branch only sees that branch's leads (server/policies.ts): the lead goes there with them.
      if (input.branchId !== undefined && officer.branchId !== null && officer.branchId !== input.branchId) {
        throw new ValidationError([{ in: 'body', path: 'branchId', message: 'the officer works at another branch; send their branch or only officerId' }]);
      }
      officerId = officer.id;
      if (input.branchId === undefined && officer.branchId !== null) branchId = officer.branchId;
    }
    if (input.branchId !== undefined) {
      if (!(await findBranch(tx, lead.bankId, input.branchId))) throw new ValidationError([{ in: 'body', path: 'branchId', message: 'branchId names no branch of this bank' }]);
      if (input.officerId === undefined && officerId !== null) {
        // Moving to another branch releases an officer of the old branch, who could no longer see the lead.
        const holder = await findUserById(tx, officerId);
        if (holder?.branchId !== null && holder?.branchId !== input.branchId) officerId = null;
      }
    }
    const action = lead.status === 'new' ? 'assign' : 'reassign';
    return applyTransition(tx, lead, action, { actor: staffActor(actor), now, patch: { branchId, officerId }, event: action, note: officerId ? `officer ${officerId}` : `branch ${branchId}` });
  });
}
