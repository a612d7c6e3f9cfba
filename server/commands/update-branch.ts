import { currentRequestId } from '../middleware/request-context';
import { assertManagesBank } from '../policies';
import { recordAudit } from '../../models/audit';
import { findBranch, updateBranchRow, type BranchRow } from '../../models/banks';
import type { UpdateBranchInput } from '../../routes/banks/schema';
import type { CommandArgs } from './command';
import { bankNotFound, branchNotFound } from './not-found';

/** Edits a branch of a bank the caller manages, audited with before and after. */
export async function updateBranch({ db, actor, input: { bankId, branchId, ...input } }: CommandArgs<{ bankId: number; branchId: number } & UpdateBranchInput>): Promise<BranchRow> {
  assertManagesBank(actor, bankId, bankNotFound);
  return db.transaction(async (tx) => {
    const before = await findBranch(tx, bankId, branchId);
    if (!before) throw branchNotFound();
    const row = await updateBranchRow(tx, branchId, input);
    await recordAudit(tx, { actor, action: 'branch.update', entity: 'branch', entityId: branchId, bankId, before, after: row, requestId: currentRequestId() });
    return row;
  });
}
