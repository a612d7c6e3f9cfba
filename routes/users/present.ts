import type { UserRow } from '../../models/users';

/** A user as the API shows it: never the hash or the lockout counters. */
export function presentUser(u: UserRow) {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    bankId: u.bankId,
    branchId: u.branchId,
    name: u.name,
    active: u.active,
    lockedUntil: u.lockedUntil?.toISOString() ?? null,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

/** The `user` member of the login answer and of /api/auth/me. */
export function presentSessionUser(u: Pick<UserRow, 'id' | 'username' | 'role' | 'bankId' | 'branchId' | 'name'>) {
  return { id: u.id, username: u.username, role: u.role, bankId: u.bankId, branchId: u.branchId, name: u.name };
}
