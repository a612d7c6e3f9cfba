import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../server/db';
import { queryRows } from '../server/sql';
import { banks, branches, routingRules } from './banks';
import { users } from './users';

export interface RouteTarget {
  bankId: number;
  /** The branch its district rule names, else the bank's default branch; null: the bank as a whole. */
  branchId: number | null;
  mode: string | null;
}

/** Where new leads of these banks from `district` go (before any round-robin turn), as a JSON array column. */
export function routeTargetsSql(bankIds: number[], district: string): SQL {
  return sql`(select coalesce(json_agg(json_build_object('bankId', b.id, 'branchId', t.branch_id, 'mode', br.dispatch_mode)), '[]'::json)
    from ${banks} b
    left join ${routingRules} r on r.bank_id = b.id and r.district = ${district}
    cross join lateral (select coalesce(r.branch_id, b.default_branch_id) as branch_id) t
    left join ${branches} br on br.id = t.branch_id
    where b.id = any(${sql.param(bankIds)}::int[]))`;
}

/**
 * Where a new lead of this bank goes: the branch its district rule names, else the bank's default
 * branch, else the bank as a whole. A round-robin branch also hands it to the next active officer
 * (the branch row is locked while choosing, so two leads never go to the same turn); a branch that
 * does not deal out turns is not locked, so leads to it do not wait for one another.
 */
export async function routeLead(tx: Executor, bankId: number, district: string): Promise<{ branchId: number | null; officerId: number | null }> {
  const [row] = await queryRows<{ targets: RouteTarget[] }>(tx, sql`select ${routeTargetsSql([bankId], district)} as targets`);
  return takeTurn(tx, row!.targets[0]);
}

/** The officer whose turn it is at a round-robin target (the branch locked meanwhile); no officer elsewhere. */
export async function takeTurn(tx: Executor, target: RouteTarget | undefined): Promise<{ branchId: number | null; officerId: number | null }> {
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
