import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../server/errors';
import { currentRequestId } from '../../server/middleware/request-context';
import { isUniqueViolation } from '../../server/pg-errors';
import { recordAudit } from '../../models/audit';
import { banks, branches, findBank, routingRules, type BankRow, type BranchRow } from '../../models/banks';
import type { Executor } from '../../server/db';
import type { CreateBankInput, CreateBranchInput, RoutingInput, UpdateBankInput, UpdateBranchInput } from './schema';

export const bankNotFound = () => new NotFoundError({ code: 'bank_not_found', detail: 'No such bank.' });
const branchNotFound = () => new NotFoundError({ code: 'branch_not_found', detail: 'No such branch.' });

/** Admins and the desk manage any bank's branches; a bank admin only their own (others read as missing). */
function assertManagesBank(actor: Actor, bankId: number) {
  if (actor.role === 'bank_admin' && actor.bankId !== bankId) throw bankNotFound();
}

export async function createBank(ctx: AppContext, actor: Actor, input: CreateBankInput): Promise<BankRow> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx.insert(banks).values(input).returning();
      await recordAudit(tx, { actor, action: 'bank.create', entity: 'bank', entityId: row!.id, bankId: row!.id, after: row, requestId: currentRequestId() });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError({ code: 'bank_code_taken', detail: `A bank with code ${input.code} exists.` });
    throw err;
  }
}

export async function updateBank(ctx: AppContext, actor: Actor, id: number, input: UpdateBankInput): Promise<BankRow> {
  return ctx.db.transaction(async (tx) => {
    const before = await findBank(tx, id);
    if (!before) throw bankNotFound();
    const [row] = await tx.update(banks).set(input).where(eq(banks.id, id)).returning();
    await recordAudit(tx, { actor, action: 'bank.update', entity: 'bank', entityId: id, bankId: id, before, after: row, requestId: currentRequestId() });
    return row!;
  });
}

export async function createBranch(ctx: AppContext, actor: Actor, bankId: number, input: CreateBranchInput): Promise<BranchRow> {
  assertManagesBank(actor, bankId);
  return ctx.db.transaction(async (tx) => {
    if (!(await findBank(tx, bankId))) throw bankNotFound();
    const [row] = await tx.insert(branches).values({ ...input, bankId }).returning();
    await recordAudit(tx, { actor, action: 'branch.create', entity: 'branch', entityId: row!.id, bankId, after: row, requestId: currentRequestId() });
    return row!;
  });
}

export async function updateBranch(ctx: AppContext, actor: Actor, bankId: number, branchId: number, input: UpdateBranchInput): Promise<BranchRow> {
  assertManagesBank(actor, bankId);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(branches).where(and(eq(branches.id, branchId), eq(branches.bankId, bankId)));
    if (!before) throw branchNotFound();
    const [row] = await tx.update(branches).set(input).where(eq(branches.id, branchId)).returning();
    await recordAudit(tx, { actor, action: 'branch.update', entity: 'branch', entityId: branchId, bankId, before, after: row, requestId: currentRequestId() });
    return row!;
  });
}

/** The bank's routing: default branch, district → branch rules (replacing the old set), each branch's dispatch mode. */
export async function setRouting(ctx: AppContext, actor: Actor, bankId: number, input: RoutingInput) {
  assertManagesBank(actor, bankId);
  return ctx.db.transaction(async (tx) => {
    if (!(await findBank(tx, bankId))) throw bankNotFound();
    const own = new Set((await tx.select({ id: branches.id }).from(branches).where(eq(branches.bankId, bankId))).map((b) => b.id));
    const bad: FieldError[] = [];
    if (input.defaultBranchId != null && !own.has(input.defaultBranchId)) bad.push({ in: 'body', path: 'defaultBranchId', message: 'names no branch of this bank' });
    input.rules?.forEach((r, i) => !own.has(r.branchId) && bad.push({ in: 'body', path: `rules.${i}.branchId`, message: 'names no branch of this bank' }));
    input.dispatch?.forEach((d, i) => !own.has(d.branchId) && bad.push({ in: 'body', path: `dispatch.${i}.branchId`, message: 'names no branch of this bank' }));
    if (bad.length) throw new ValidationError(bad);
    if (input.defaultBranchId !== undefined) await tx.update(banks).set({ defaultBranchId: input.defaultBranchId }).where(eq(banks.id, bankId));
    if (input.rules) {
      await tx.delete(routingRules).where(eq(routingRules.bankId, bankId));
      if (input.rules.length) await tx.insert(routingRules).values(input.rules.map((r) => ({ ...r, bankId })));
    }
    for (const d of input.dispatch ?? []) await tx.update(branches).set({ dispatchMode: d.mode }).where(eq(branches.id, d.branchId));
    const routing = await readRouting(tx, bankId);
    await recordAudit(tx, { actor, action: 'bank.routing', entity: 'bank', entityId: bankId, bankId, after: routing, requestId: currentRequestId() });
    return routing;
  });
}

export async function readRouting(db: Executor, bankId: number) {
  const [bank] = await db.select({ defaultBranchId: banks.defaultBranchId }).from(banks).where(eq(banks.id, bankId));
  const rules = await db.select({ district: routingRules.district, branchId: routingRules.branchId }).from(routingRules).where(eq(routingRules.bankId, bankId)).orderBy(routingRules.district);
  const dispatch = await db.select({ branchId: branches.id, mode: branches.dispatchMode }).from(branches).where(eq(branches.bankId, bankId)).orderBy(branches.id);
  return { defaultBranchId: bank?.defaultBranchId ?? null, rules, dispatch };
}
