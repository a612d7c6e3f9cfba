import { currentRequestId } from '../middleware/request-context';
import { assertManagesBank } from '../policies';
import { recordAudit } from '../../models/audit';
import { findBank, insertBranch, type BranchRow } from '../../models/banks';
import type { CreateBranchInput } from '../../routes/banks/schema';
import type { CommandArgs } from './command';
import { bankNotFound } from './not-found';

/** A branch of a bank the caller manages (another bank's reads as missing), audited. */
export async function createBranch({ db, actor, input: { bankId, ...input } }: CommandArgs<{ bankId: number } & CreateBranchInput>): Promise<BranchRow> {
  assertManagesBank(actor, bankId, bankNotFound);
  return db.transaction(async (tx) => {
    if (!(await findBank(tx, bankId))) throw bankNotFound();
    const row = await insertBranch(tx, { ...input, bankId });
    await recordAudit(tx, { actor, action: 'branch.create', entity: 'branch', entityId: row.id, bankId, after: row, requestId: currentRequestId() });
    return row;
  });
}
