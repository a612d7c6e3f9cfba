import { randomBytes } from 'node:crypto';
import type { Db } from '../../server/db';
import { hashPassword } from '../../server/domain/password';
import { banks, branches, type BankRow, type BranchRow } from '../../models/banks';
import { users, type Role, type UserRow } from '../../models/users';
import { productFields, products, type ProductRow } from '../../models/products';
import { applications, companies, type ApplicationRow } from '../../models/applications';
import { leads, type LeadRow } from '../../models/leads';
import type { TestApp } from './app';
import { hardwareMaker, need } from './applications';
import { productBody } from './products';

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

/** A published product of the bank (its fields from productBody unless overridden). */
export async function buildProduct(db: Db, bankId: number, overrides: Partial<typeof products.$inferInsert> = {}): Promise<ProductRow> {
  const p = productBody();
  const [row] = await db.insert(products).values({
    bankId, code: p.code, version: 1, status: 'published', name: p.name, type: p.type,
    amountMin: p.amount.min, amountMax: p.amount.max, termMinMonths: p.termMonths.min, termMaxMonths: p.termMonths.max,
    rateMin: p.rate.min.toFixed(2), rateMax: p.rate.max.toFixed(2), repaymentMethods: p.repaymentMethods, guaranteeTypes: p.guaranteeTypes,
    approvalDays: p.approvalDays, criteria: p.criteria, publishedAt: new Date(), ...overrides,
  }).returning();
  return row!;
}

/** A submitted request (and its company) written straight to the tables, for tests about what happens to leads later. */
export async function buildApplication(db: Db, overrides: Partial<typeof applications.$inferInsert> = {}): Promise<ApplicationRow> {
  const c = hardwareMaker();
  const [company] = await db.insert(companies).values({
    uscc: c.uscc, name: c.name, district: c.district, industry: c.industry, establishedOn: c.establishedOn, employees: c.employees,
    annualRevenue: c.annualRevenue, totalAssets: c.totalAssets, taxRating: 'B', hasBankLoan: c.hasBankLoan, overdueCount: c.overdueCount,
    collateral: ['equipment'], guaranteeAvailable: c.guaranteeAvailable,
  }).returning();
  const at = overrides.createdAt ?? new Date();
  const [row] = await db.insert(applications).values({
    companyId: company!.id, companySnapshot: c as never, contactName: '梁伟', contactPhone: '13812345678', needAmount: need.amount,
    needTermMonths: need.termMonths, mode: 'chosen', isFirstLoan: true, companySize: 'small', trackingToken: `t-${uniq()}${uniq()}-test-token`,
    consentVersion: 'v', consentAt: at, createdAt: at, updatedAt: at, ...overrides,
  }).returning();
  return row!;
}

/** A lead of the application for the product, in whatever state and with whatever deadlines the test sets. */
export async function buildLead(db: Db, application: Pick<ApplicationRow, 'id' | 'createdAt'>, product: ProductRow, overrides: Partial<typeof leads.$inferInsert> = {}): Promise<LeadRow> {
  const [row] = await db.insert(leads).values({
    applicationId: application.id, bankId: product.bankId, productId: product.id,
    // The snapshot a submission stores (models/lead-create.ts).
    productSnapshot: { id: product.id, bankName: '', code: product.code, version: product.version, ...productFields(product) },
    createdAt: application.createdAt, updatedAt: application.createdAt, ...overrides,
  }).returning();
  return row!;
}

/**
 * A bank with one published product that the test company (`hardwareMaker`, need 1,000,000 for 12
 * months) qualifies for: what `requestAtBank` needs, without loading the whole demo registry.
 */
export async function buildLendingBank(db: Db, overrides: Partial<typeof banks.$inferInsert> = {}): Promise<BankRow> {
  const bank = await buildBank(db, overrides);
  await buildProduct(db, bank.id);
  return bank;
}
