import { and, eq } from 'drizzle-orm';
import { isBankRole, scopeToBank, type Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import type { Executor } from '../../server/db';
import { hashPassword, passwordWeakness } from '../../server/domain/password';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../server/errors';
import { currentRequestId } from '../../server/middleware/request-context';
import { isUniqueViolation } from '../../server/pg-errors';
import { recordAudit } from '../../models/audit';
import { banks, branches } from '../../models/banks';
import { findUserById, listUsers, users, type Role, type UserRow } from '../../models/users';
import { presentUser } from './present';
import type { CreateUserInput, ListUsersQuery, UpdateUserInput } from './schema';

const userNotFound = () => new NotFoundError({ code: 'user_not_found', detail: 'No such user.' });

/** Checks that a role, bank and branch fit together and exist; bank roles need a bank, others none. */
async function checkPlacement(db: Executor, role: Role, bankId: number | null, branchId: number | null) {
  if (isBankRole(role)) {
    if (bankId == null) throw new ValidationError([{ in: 'body', path: 'bankId', message: 'bankId is required for bank roles' }]);
    const [bank] = await db.select({ id: banks.id }).from(banks).where(eq(banks.id, bankId));
    if (!bank) throw new ValidationError([{ in: 'body', path: 'bankId', message: 'bankId names no bank' }]);
  } else if (bankId != null || branchId != null) {
    throw new ValidationError([{ in: 'body', path: bankId != null ? 'bankId' : 'branchId', message: `a ${role} user belongs to no bank or branch` }]);
  }
  if (branchId != null) {
    const [branch] = await db.select({ id: branches.id }).from(branches)
      .where(and(eq(branches.id, branchId), eq(branches.bankId, bankId ?? -1)));
    if (!branch) throw new ValidationError([{ in: 'body', path: 'branchId', message: 'branchId names no branch of this bank' }]);
  }
}

/** 400 on `password` when it is too easy to guess for this account (zxcvbn below 3, or its own username). */
function checkPasswordStrength(password: string, account: { username: string; name?: string | null }) {
  const weakness = passwordWeakness(password, [account.username, account.name]);
  if (weakness) throw new ValidationError([{ in: 'body', path: 'password', message: weakness }]);
}

export async function listVisibleUsers(ctx: AppContext, actor: Actor, q: ListUsersQuery) {
  return listUsers(ctx.db, { ...q, scope: scopeToBank(actor, users.bankId) });
}

export async function getVisibleUser(ctx: AppContext, actor: Actor, id: number): Promise<UserRow> {
  const user = await findUserById(ctx.db, id, scopeToBank(actor, users.bankId));
  if (!user) throw userNotFound();
  return user;
}

/** Admins create any user; a bank admin creates officers of their own bank only (a bankId sent is ignored). */
export async function createUser(ctx: AppContext, actor: Actor, input: CreateUserInput, ip?: string): Promise<UserRow> {
  const { role, branchId = null } = input;
  let bankId = input.bankId ?? null;
  if (actor.role === 'bank_admin') {
    if (role !== 'bank_officer') throw new ForbiddenError({ code: 'role_not_allowed', detail: 'A bank admin may create bank officers only.' });
    bankId = actor.bankId;
  }
  checkPasswordStrength(input.password, input);
  const passwordHash = await hashPassword(input.password);
  try {
    return await ctx.db.transaction(async (tx) => {
      await checkPlacement(tx, role, bankId, branchId);
      const [row] = await tx.insert(users).values({ username: input.username, passwordHash, role, bankId, branchId, name: input.name ?? null }).returning();
      await recordAudit(tx, { actor, action: 'user.create', entity: 'user', entityId: row!.id, bankId, after: presentUser(row!), ip, requestId: currentRequestId() });
      return row!;
    });
  } catch (err) {
    // Says nothing of whose it is: the username may belong to another bank's staff.
    if (isUniqueViolation(err)) {
      throw new ConflictError({ code: 'username_taken', detail: 'This username is taken.', errors: [{ in: 'body', path: 'username', message: 'this username is taken' }] });
    }
    throw err;
  }
}

/**
 * Edits a user. A bank admin edits the officers of their own bank (not other admins, not roles);
 * a new password, deactivation or role change ends the user's current sessions.
 */
export async function updateUser(ctx: AppContext, actor: Actor, id: number, input: UpdateUserInput, ip?: string): Promise<UserRow> {
  // The strength check needs the account's username; hashing stays outside the transaction.
  const target = await findUserById(ctx.db, id, scopeToBank(actor, users.bankId));
  if (!target) throw userNotFound();
  if (input.password) checkPasswordStrength(input.password, { username: target.username, name: input.name !== undefined ? input.name : target.name });
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return ctx.db.transaction(async (tx) => {
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
    const [after] = await tx.update(users).set({
      name: input.name !== undefined ? input.name : before.name,
      role, bankId, branchId,
      active: input.active ?? before.active,
      ...(passwordHash ? { passwordHash } : {}),
      ...(input.unlock ? { failedLoginCount: 0, failedLoginWindowStart: null, lockedUntil: null } : {}),
      tokenVersion: endSessions ? before.tokenVersion + 1 : before.tokenVersion,
      updatedAt: ctx.clock.now(),
    }).where(eq(users.id, id)).returning();
    const changes = { ...presentUser(after!), ...(passwordHash ? { passwordChanged: true } : {}) };
    await recordAudit(tx, { actor, action: 'user.update', entity: 'user', entityId: id, bankId: after!.bankId ?? before.bankId, before: presentUser(before), after: changes, ip, requestId: currentRequestId() });
    return after!;
  });
}
