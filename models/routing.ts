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
