import { isBankRole } from '../auth';
import type { Executor } from '../db';
import { passwordWeakness } from '../domain/password';
import { ValidationError } from '../errors';
import { bankExists, findBranch } from '../../models/banks';
import type { Role } from '../../models/users';

/** Checks that a role, bank and branch fit together and exist; bank roles need a bank, others none. */
export async function checkPlacement(db: Executor, role: Role, bankId: number | null, branchId: number | null): Promise<void> {
  if (isBankRole(role)) {
    if (bankId == null) throw new ValidationError([{ in: 'body', path: 'bankId', message: 'bankId is required for bank roles' }]);
    if (!(await bankExists(db, bankId))) throw new ValidationError([{ in: 'body', path: 'bankId', message: 'bankId names no bank' }]);
  } else if (bankId != null || branchId != null) {
    throw new ValidationError([{ in: 'body', path: bankId != null ? 'bankId' : 'branchId', message: `a ${role} user belongs to no bank or branch` }]);
  }
  if (branchId != null && !(await findBranch(db, bankId ?? -1, branchId))) {
    throw new ValidationError([{ in: 'body', path: 'branchId', message: 'branchId names no branch of this bank' }]);
  }
}

/** 400 on `password` when it is too easy to guess for this account (zxcvbn below 3, or its own username). */
export function checkPasswordStrength(password: string, account: { username: string; name?: string | null }): void {
  const weakness = passwordWeakness(password, [account.username, account.name]);
  if (weakness) throw new ValidationError([{ in: 'body', path: 'password', message: weakness }]);
}
