import { isBankRole, scopeToBank } from '../auth';
import { hashPassword } from '../domain/password';
import { ConflictError, ForbiddenError } from '../errors';
import { currentRequestId } from '../middleware/request-context';
import { recordAudit } from '../../models/audit';
import { findUserById, updateUserRow, users, type UserRow } from '../../models/users';
import { presentUser } from '../../routes/users/present';
import type { UpdateUserInput } from '../../routes/users/schema';
import type { CommandArgs } from './command';
import { userNotFound } from './not-found';
import { checkPasswordStrength, checkPlacement } from './user-rules';

/**
 * Edits a user. A bank admin edits the officers of their own bank (not other admins, not roles);
 * a new password, deactivation or role change ends the user's current sessions.
 */
export async function updateUser({ db, actor, input: { id, ...input }, now, ip }: CommandArgs<{ id: number } & UpdateUserInput>): Promise<UserRow> {
  // The strength check needs the account's username; hashing stays outside the transaction.
  const target = await findUserById(db, id, scopeToBank(actor, users.bankId));
  if (!target) throw userNotFound();
  if (input.password) checkPasswordStrength(input.password, { username: target.username, name: input.name !== undefined ? input.name : target.name });
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return db.transaction(async (tx) => {
    const before = await findUserById(tx, id, scopeToBank(actor, users.bankId));
    if (!before) throw userNotFound();
    if (actor.role === 'bank_admin') {
      if (before.role !== 'bank_officer' && before.id !== actor.id) throw new ForbiddenError({ detail: 'A bank admin may edit bank officers only.' });
      if (input.role !== undefined || input.bankId !== undefined) throw new ForbiddenError({ detail: 'A bank admin may not change roles or banks.' });
    }
    if (before.id === actor.id && (input.active === false || (input.role && input.role !== before.role))) {
      throw new ConflictError({ code: 'cannot_demote_self', detail: 'You cannot deactivate yourself or change your own role.' });
    }
    const role = input.role ?? before.role;
    const bankId = input.bankId !== undefined ? input.bankId : isBankRole(role) ? before.bankId : null;
    const branchId = input.branchId !== undefined ? input.branchId : bankId === before.bankId ? before.branchId : null;
    await checkPlacement(tx, role, bankId, branchId);
    const endSessions = passwordHash !== undefined || input.active === false || role !== before.role || bankId !== before.bankId;
    const after = await updateUserRow(tx, id, {
      name: input.name !== undefined ? input.name : before.name,
      role, bankId, branchId,
      active: input.active ?? before.active,
      ...(passwordHash ? { passwordHash } : {}),
      ...(input.unlock ? { failedLoginCount: 0, failedLoginWindowStart: null, lockedUntil: null } : {}),
      tokenVersion: endSessions ? before.tokenVersion + 1 : before.tokenVersion,
      updatedAt: now,
    });
    const changes = { ...presentUser(after), ...(passwordHash ? { passwordChanged: true } : {}) };
    await recordAudit(tx, { actor, action: 'user.update', entity: 'user', entityId: id, bankId: after.bankId ?? before.bankId, before: presentUser(before), after: changes, ip, requestId: currentRequestId() });
    return after;
  });
}
