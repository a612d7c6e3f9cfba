import { hashPassword } from '../domain/password';
import { ConflictError, ForbiddenError } from '../errors';
import { currentRequestId } from '../middleware/request-context';
import { isUniqueViolation } from '../pg-errors';
import { recordAudit } from '../../models/audit';
import { insertUser, type UserRow } from '../../models/users';
import { presentUser } from '../../routes/users/present';
import type { CreateUserInput } from '../../routes/users/schema';
import type { CommandArgs } from './command';
import { checkPasswordStrength, checkPlacement } from './user-rules';

/** Admins create any user; a bank admin creates officers of their own bank only (a bankId sent is ignored). */
export async function createUser({ db, actor, input, ip }: CommandArgs<CreateUserInput>): Promise<UserRow> {
  const { role, branchId = null } = input;
  let bankId = input.bankId ?? null;
  if (actor.role === 'bank_admin') {
    if (role !== 'bank_officer') throw new ForbiddenError({ code: 'role_not_allowed', detail: 'A bank admin may create bank officers only.' });
    bankId = actor.bankId;
  }
  checkPasswordStrength(input.password, input);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      await checkPlacement(tx, role, bankId, branchId);
      const row = await insertUser(tx, { username: input.username, passwordHash, role, bankId, branchId, name: input.name ?? null });
      await recordAudit(tx, { actor, action: 'user.create', entity: 'user', entityId: row.id, bankId, after: presentUser(row), ip, requestId: currentRequestId() });
      return row;
    });
  } catch (err) {
    // Says nothing of whose it is: the username may belong to another bank's staff.
    if (isUniqueViolation(err)) {
      throw new ConflictError({ code: 'username_taken', detail: 'This username is taken.', errors: [{ in: 'body', path: 'username', message: 'this username is taken' }] });
    }
    throw err;
  }
}
