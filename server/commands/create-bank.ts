import { ConflictError } from '../errors';
import { currentRequestId } from '../middleware/request-context';
import { isUniqueViolation } from '../pg-errors';
import { recordAudit } from '../../models/audit';
import { insertBank, type BankRow } from '../../models/banks';
import type { CreateBankInput } from '../../routes/banks/schema';
import type { CommandArgs } from './command';

/** An admin registers a bank (its code is unique: 409 `bank_code_taken` otherwise), audited. */
export async function createBank({ db, actor, input }: CommandArgs<CreateBankInput>): Promise<BankRow> {
  try {
    return await db.transaction(async (tx) => {
      const row = await insertBank(tx, input);
      await recordAudit(tx, { actor, action: 'bank.create', entity: 'bank', entityId: row.id, bankId: row.id, after: row, requestId: currentRequestId() });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError({ code: 'bank_code_taken', detail: `A bank with code ${input.code} exists.` });
    throw err;
  }
}
