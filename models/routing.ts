import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { banks, branches, routingRules } from './banks';
import { users } from './users';

/**
 * Where a new lead of this bank goes: the branch its district rule names, else the bank's default
 * branch, else the bank as a whole. A round-robin branch also hands it to the next active officer
 * (the branch row is locked while choosing, so two leads never go to the same turn); a branch that
 * does not deal out turns is not locked, so leads to it do not wait for one another.
 */
export async function routeLead(tx: Executor, bankId: number, district: string): Promise<{ branchId: number | null; officerId: number | null }> {
  const [target] = await tx.select({ branchId: sql<number | null>`coalesce(${routingRules.branchId}, ${banks.defaultBranchId})`, mode: branches.dispatchMode })
    .from(banks)
    .leftJoin(routingRules, and(eq(routingRules.bankId, banks.id), eq(routingRules.district, district)))
    .leftJoin(branches, eq(branches.id, sql`coalesce(${routingRules.branchId}, ${banks.defaultBranchId})`))
    .where(eq(banks.id, bankId));
  const branchId = target?.branchId ?? null;
  if (branchId === null) return { branchId: null, officerId: null };
  if (target!.mode !== 'round_robin') return { branchId, officerId: null };
  const [branch] = await tx.select().from(branches).where(eq(branches.id, branchId)).for('update');
  if (!branch || branch.dispatchMode !== 'round_robin') return { branchId, officerId: null };
  const officers = (after: number) => tx.select({ id: users.id }).from(users)
    .where(and(eq(users.branchId, branchId), eq(users.role, 'bank_officer'), eq(users.active, true), gt(users.id, after)))
    .orderBy(asc(users.id)).limit(1);
  let [next] = await officers(branch.lastAssignedUserId ?? 0);
  if (!next) [next] = await officers(0); // wrap around
  if (!next) return { branchId, officerId: null };
  await tx.update(branches).set({ lastAssignedUserId: next.id }).where(eq(branches.id, branchId));
  return { branchId, officerId: next.id };
}

/** A bank's routing as its admin sets it: default branch, district rules, each branch's dispatch mode. */
export async function readRouting(db: Executor, bankId: number) {
  const [bank] = await db.select({ defaultBranchId: banks.defaultBranchId }).from(banks).where(eq(banks.id, bankId));
  const rules = await db.select({ district: routingRules.district, branchId: routingRules.branchId }).from(routingRules).where(eq(routingRules.bankId, bankId)).orderBy(routingRules.district);
  const dispatch = await db.select({ branchId: branches.id, mode: branches.dispatchMode }).from(branches).where(eq(branches.bankId, bankId)).orderBy(branches.id);
  return { defaultBranchId: bank?.defaultBranchId ?? null, rules, dispatch };
}

/** Writes what of a bank's routing is given: the default branch, the whole rule set (replacing the old one), dispatch modes. */
export async function writeRouting(tx: Executor, bankId: number, r: {
  defaultBranchId?: number | null; rules?: { district: string; branchId: number }[]; dispatch?: { branchId: number; mode: typeof branches.$inferInsert['dispatchMode'] }[];
}): Promise<void> {
  if (r.defaultBranchId !== undefined) await tx.update(banks).set({ defaultBranchId: r.defaultBranchId }).where(eq(banks.id, bankId));
  if (r.rules) {
    await tx.delete(routingRules).where(eq(routingRules.bankId, bankId));
    if (r.rules.length) await tx.insert(routingRules).values(r.rules.map((x) => ({ ...x, bankId })));
  }
  for (const d of r.dispatch ?? []) await tx.update(branches).set({ dispatchMode: d.mode }).where(eq(branches.id, d.branchId));
}
