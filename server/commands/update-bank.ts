import { currentRequestId } from '../middleware/request-context';
import { recordAudit } from '../../models/audit';
import { findBank, updateBankRow, type BankRow } from '../../models/banks';
import type { UpdateBankInput } from '../../routes/banks/schema';
import type { CommandArgs } from './command';
import { bankNotFound } from './not-found';

/** An admin edits a bank's names, kind or active flag, audited with before and after. */
export async function updateBank({ db, actor, input: { id, ...input } }: CommandArgs<{ id: number } & UpdateBankInput>): Promise<BankRow> {
  return db.transaction(async (tx) => {
    const before = await findBank(tx, id);
    if (!before) throw bankNotFound();
    const row = await updateBankRow(tx, id, input);
    await recordAudit(tx, { actor, action: 'bank.update', entity: 'bank', entityId: id, bankId: id, before, after: row, requestId: currentRequestId() });
    return row;
  });
}
