import { randomBytes } from 'node:crypto';
import type { Db } from '../../server/db';
import { hashPassword } from '../../server/domain/password';
import { banks, branches, type BankRow, type BranchRow } from '../../models/banks';
import { users, type Role, type UserRow } from '../../models/users';
import type { TestApp } from './app';

export const TEST_PASSWORD = 'correct-horse-battery';
let testPasswordHash: Promise<string> | undefined;

const uniq = () => randomBytes(4).toString('hex');

export async function buildBank(db: Db, overrides: Partial<typeof banks.$inferInsert> = {}): Promise<BankRow> {
  const code = overrides.code ?? `B${uniq()}`;
  const [row] = await db.insert(banks).values({ code, name: `测试银行${code}`, shortName: `测试${code}`, kind: 'city_commercial', ...overrides }).returning();
  return row!;
}

export async function buildBranch(db: Db, bankId: number, overrides: Partial<typeof branches.$inferInsert> = {}): Promise<BranchRow> {
  const [row] = await db.insert(branches).values({ bankId, name: `支行${uniq()}`, district: '441202', ...overrides }).returning();
  return row!;
}

export interface UserSpec {
  role: Role;
  bankId?: number | null;
  branchId?: number | null;
  username?: string;
  password?: string;
  name?: string;
  active?: boolean;
}

/** A user whose password is TEST_PASSWORD unless given (hashed once per run to keep tests quick). */
export async function buildUser(db: Db, spec: UserSpec): Promise<UserRow> {
  const passwordHash = spec.password ? await hashPassword(spec.password) : await (testPasswordHash ??= hashPassword(TEST_PASSWORD));
  const [row] = await db.insert(users).values({
    username: spec.username ?? `${spec.role.replace('_', '')}${uniq()}`,
    passwordHash,
    role: spec.role,
    bankId: spec.bankId ?? null,
    branchId: spec.branchId ?? null,
    name: spec.name ?? null,
    active: spec.active ?? true,
  }).returning();
  return row!;
}

/** Signs in through the real endpoint and returns the bearer token. */
export async function tokenFor(app: TestApp, user: Pick<UserRow, 'username'>, password = TEST_PASSWORD): Promise<string> {
  const res = await app.call('POST', '/api/auth/login', { body: { username: user.username, password } });
  if (res.status !== 200) throw new Error(`sign-in of ${user.username} failed: ${res.status} ${res.text}`);
  return res.body.token as string;
}
