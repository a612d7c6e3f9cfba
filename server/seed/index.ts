import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Executor } from '../db';
import { cityProfiles, type CityProfile } from '../domain/cities';
import { hashPassword } from '../domain/password';
import type { Logger } from '../logger';
import { banks, branches } from '../../models/banks';
import { products, settings } from '../../models/products';
import { users, type Role } from '../../models/users';
import { productRowSchema } from '../../routes/products/schema';
import { seedBanks, seedBranchesOf } from './banks';
import { seedProductsOf } from './products';

/** The demo staff accounts' password (README lists it). They exist only where the demo seed ran. */
export const DEMO_PASSWORD = 'rongma-demo-2026';
export const DEMO_SETTING = 'demo_accounts';

export interface DemoSetting {
  /** username → the password hash the seed gave it. */
  hashes: Record<string, string>;
}

interface DemoAccount {
  username: string;
  role: Role;
  name: string;
  bankCode?: string;
  /** Index into the bank's seeded branches. */
  branch?: number;
}

export const demoAccounts: DemoAccount[] = [
  { username: 'demo.desk', role: 'desk', name: '融资专窗（演示）' },
  { username: 'abc.admin', role: 'bank_admin', name: '农行产品经理（演示）', bankCode: 'ABC' },
  { username: 'abc.officer', role: 'bank_officer', name: '农行高要支行客户经理（演示）', bankCode: 'ABC', branch: 2 },
  { username: 'zqrcb.admin', role: 'bank_admin', name: '肇庆农商银行管理员（演示）', bankCode: 'ZQRCB' },
  { username: 'zqrcb.officer', role: 'bank_officer', name: '肇庆农商银行客户经理（演示）', bankCode: 'ZQRCB', branch: 0 },
];

/** The city the demo registry's banks, branches, products (and demo activity) are in. */
export const demoRegistryCity = cityProfiles.zhaoqing;

/** Whether there is a demo registry for the city: only then may a first start or `npm run seed` load one. */
export function hasDemoRegistry(city: CityProfile): boolean {
  return city.code === demoRegistryCity.code;
}

export interface SeedSummary {
  banks: number;
  branches: number;
  products: number;
  users: number;
}

async function seedRegistry(tx: Executor, now: Date): Promise<Omit<SeedSummary, 'users'>> {
  const summary = { banks: 0, branches: 0, products: 0 };
  for (const [i, b] of seedBanks.entries()) {
    const inserted = await tx.insert(banks).values({ code: b.code, name: b.name, shortName: b.shortName, kind: b.kind }).onConflictDoNothing().returning({ id: banks.id });
    summary.banks += inserted.length;
    const [bank] = await tx.select({ id: banks.id }).from(banks).where(eq(banks.code, b.code));
    const existing = new Set((await tx.select({ name: branches.name }).from(branches).where(eq(branches.bankId, bank!.id))).map((r) => r.name));
    const newBranches = seedBranchesOf(b, i).filter((br) => !existing.has(br.name));
    if (newBranches.length) await tx.insert(branches).values(newBranches.map((br) => ({ ...br, bankId: bank!.id })));
    summary.branches += newBranches.length;

    const wanted = seedProductsOf(b, i);
    const present = new Set((await tx.select({ code: products.code }).from(products)
      .where(and(eq(products.bankId, bank!.id), inArray(products.code, wanted.map((p) => p.code))))).map((r) => r.code));
    for (const p of wanted.filter((w) => !present.has(w.code))) {
      // The seed passes the same schema as the API and import.
      const { error } = productRowSchema.validate({ ...p, bankCode: b.code, status: 'published' }, { abortEarly: false, context: { city: demoRegistryCity } });
      if (error) throw new Error(`seed product ${p.code} is invalid: ${error.message}`);
      const { code, ...fields } = p;
      await tx.insert(products).values({
        bankId: bank!.id, code, version: 1, status: 'published', name: fields.name, type: fields.type,
        amountMin: fields.amount.min, amountMax: fields.amount.max, termMinMonths: fields.termMonths.min, termMaxMonths: fields.termMonths.max,
        rateMin: fields.rate.min.toFixed(2), rateMax: fields.rate.max.toFixed(2), repaymentMethods: fields.repaymentMethods,
        guaranteeTypes: fields.guaranteeTypes, approvalDays: fields.approvalDays, firstLoanFriendly: fields.firstLoanFriendly,
        criteria: fields.criteria, description: fields.description, materials: fields.materials, createdAt: now, updatedAt: now, publishedAt: now,
      });
      summary.products++;
    }
  }
  return summary;
}

async function seedAccounts(tx: Executor): Promise<number> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const createdNames: string[] = [];
  for (const a of demoAccounts) {
    let bankId: number | null = null;
    let branchId: number | null = null;
    if (a.bankCode) {
      const [bank] = await tx.select({ id: banks.id }).from(banks).where(eq(banks.code, a.bankCode));
      bankId = bank!.id;
      if (a.branch !== undefined) {
        const list = await tx.select({ id: branches.id }).from(branches).where(eq(branches.bankId, bankId)).orderBy(branches.id);
        branchId = list[a.branch]?.id ?? null;
      }
    }
    const inserted = await tx.insert(users).values({ username: a.username, passwordHash, role: a.role, name: a.name, bankId, branchId })
      .onConflictDoNothing().returning({ id: users.id });
    if (inserted.length) createdNames.push(a.username);
  }
  // Remember each demo account's hash: the sign-in page lists only those still carrying the demo password.
  if (createdNames.length > 0) {
    const [existing] = await tx.select().from(settings).where(eq(settings.key, DEMO_SETTING));
    const hashes = { ...((existing?.value as DemoSetting | undefined)?.hashes ?? {}), ...Object.fromEntries(createdNames.map((n) => [n, passwordHash])) };
    await tx.insert(settings).values({ key: DEMO_SETTING, value: { hashes } })
      .onConflictDoUpdate({ target: settings.key, set: { value: { hashes }, updatedAt: new Date() } });
  }
  return createdNames.length;
}

/**
 * Whether this process runs in production (NODE_ENV, as config reads it). The last guard of demo data:
 * a production process never creates the demo staff (their password is published) nor demo activity,
 * whichever script or start asks for them.
 */
export function isProductionProcess(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'production';
}

/**
 * The demo registry (25 banks, their branches, 132 published products) and, outside production,
 * demo staff accounts. Idempotent: what exists is left alone, so running it again changes nothing.
 */
export async function seedDemo(db: Db, options: { logger?: Logger; now?: Date; accounts?: boolean } = {}): Promise<SeedSummary> {
  const now = options.now ?? new Date();
  const accounts = options.accounts !== false && !isProductionProcess();
  if (options.accounts && !accounts) options.logger?.warn('demo staff accounts are never created in production; seeding the registry only');
  const summary = await db.transaction(async (tx) => {
    const registry = await seedRegistry(tx, now);
    const created = accounts ? await seedAccounts(tx) : 0;
    return { ...registry, users: created };
  });
  options.logger?.info(summary, 'demo registry seeded');
  return summary;
}

/** True when the database has no bank yet: a first start. */
export async function isEmptyRegistry(db: Db): Promise<boolean> {
  const [any] = await db.select({ id: banks.id }).from(banks).limit(1);
  return !any;
}

/** Demo accounts that still exist, are active and still carry the demo password. */
export async function liveDemoAccounts(db: Executor) {
  const [setting] = await db.select().from(settings).where(eq(settings.key, DEMO_SETTING));
  const hashes = (setting?.value as DemoSetting | undefined)?.hashes ?? {};
  const names = Object.keys(hashes);
  if (names.length === 0) return [];
  const rows = await db.select({ username: users.username, role: users.role, name: users.name, active: users.active, passwordHash: users.passwordHash, bankName: banks.shortName })
    .from(users).leftJoin(banks, eq(banks.id, users.bankId)).where(inArray(users.username, names)).orderBy(users.id);
  return rows.filter((r) => r.active && r.passwordHash === hashes[r.username])
    .map((r) => ({ username: r.username, role: r.role, name: r.name, bankName: r.bankName }));
}
