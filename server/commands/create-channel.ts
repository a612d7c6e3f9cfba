import { randomCode } from '../domain/codes';
import { ValidationError } from '../errors';
import { currentRequestId } from '../middleware/request-context';
import { isUniqueViolation } from '../pg-errors';
import { recordAudit } from '../../models/audit';
import { bankExists, findBranch } from '../../models/banks';
import { insertChannel, type ChannelRow } from '../../models/channels';
import type { CreateChannelInput } from '../../routes/channels/schema';
import type { CommandArgs } from './command';

/** The desk places codes anywhere; a bank admin only for their own bank (a bankId sent is replaced). */
export async function createChannel({ db, actor, input }: CommandArgs<CreateChannelInput>): Promise<ChannelRow> {
  const bankId = actor.role === 'bank_admin' ? actor.bankId : (input.bankId ?? null);
  const branchId = input.branchId ?? null;
  return db.transaction(async (tx) => {
    if (bankId !== null && !(await bankExists(tx, bankId))) throw new ValidationError([{ in: 'body', path: 'bankId', message: 'bankId names no bank' }]);
    let district = input.district ?? null;
    if (branchId !== null) {
      const branch = await findBranch(tx, bankId ?? -1, branchId);
      if (!branch) throw new ValidationError([{ in: 'body', path: 'branchId', message: 'branchId names no branch of the channel\'s bank' }]);
      district ??= branch.district;
    }
    // Codes are random; a collision (1 in 2^50 per pair) is retried rather than assumed away.
    for (let attempt = 0; ; attempt++) {
      try {
        const row = await insertChannel(tx, {
          code: randomCode(), name: input.name, kind: input.kind, bankId, branchId, district,
          expiresAt: input.expiresAt ?? null, createdBy: actor.id,
        });
        await recordAudit(tx, { actor, action: 'channel.create', entity: 'channel', entityId: row.id, bankId, after: row, requestId: currentRequestId() });
        return row;
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 3) throw err;
      }
    }
  });
}
