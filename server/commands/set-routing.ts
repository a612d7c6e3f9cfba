import { ValidationError, type FieldError } from '../errors';
import { currentRequestId } from '../middleware/request-context';
import { assertManagesBank } from '../policies';
import { recordAudit } from '../../models/audit';
import { branchIdsOf, findBank } from '../../models/banks';
import { readRouting, writeRouting } from '../../models/routing';
import type { RoutingInput } from '../../routes/banks/schema';
import type { CommandArgs } from './command';
import { bankNotFound } from './not-found';

/** The bank's routing: default branch, district → branch rules (replacing the old set), each branch's dispatch mode. */
export async function setRouting({ db, actor, input: { bankId, ...input } }: CommandArgs<{ bankId: number } & RoutingInput>) {
  assertManagesBank(actor, bankId, bankNotFound);
  return db.transaction(async (tx) => {
    if (!(await findBank(tx, bankId))) throw bankNotFound();
    const own = await branchIdsOf(tx, bankId);
    const bad: FieldError[] = [];
    if (input.defaultBranchId != null && !own.has(input.defaultBranchId)) bad.push({ in: 'body', path: 'defaultBranchId', message: 'names no branch of this bank' });
    input.rules?.forEach((r, i) => !own.has(r.branchId) && bad.push({ in: 'body', path: `rules.${i}.branchId`, message: 'names no branch of this bank' }));
    input.dispatch?.forEach((d, i) => !own.has(d.branchId) && bad.push({ in: 'body', path: `dispatch.${i}.branchId`, message: 'names no branch of this bank' }));
    if (bad.length) throw new ValidationError(bad);
    await writeRouting(tx, bankId, input);
    const routing = await readRouting(tx, bankId);
    await recordAudit(tx, { actor, action: 'bank.routing', entity: 'bank', entityId: bankId, bankId, after: routing, requestId: currentRequestId() });
    return routing;
  });
}
