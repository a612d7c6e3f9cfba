import { and, asc, eq, gt } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { banks, branches, routingRules } from './banks';
import { users } from './users';

/**
 * Where a new lead of this bank goes: the branch its district rule names, else the bank's default
 * branch, else the bank as a whole. A round-robin branch also hands it to the next active officer
 * (the branch row is locked while choosing, so two leads never go to the same turn).
 */
export async function routeLead(tx: Executor, bankId: number, district: string): Promise<{ branchId: number | null; officerId: number | null }> {
  const [rule] = await tx.select({ branchId: routingRules.branchId }).from(routingRules)
    .where(and(eq(routingRules.bankId, bankId), eq(routingRules.district, district)));
  let branchId = rule?.branchId ?? null;
  if (branchId === null) {
    const [bank] = await tx.select({ defaultBranchId: banks.defaultBranchId }).from(banks).where(eq(banks.id, bankId));
    branchId = bank?.defaultBranchId ?? null;
  }
  if (branchId === null) return { branchId: null, officerId: null };
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
