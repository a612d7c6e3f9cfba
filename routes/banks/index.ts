import { Router, type Request, type Response } from 'express';
import { actorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { inputOf, validate } from '../../server/middleware/validate';
import { idParams, listOf } from '../../server/schemas';
import { assertManagesBank } from '../../server/policies';
import { createBank } from '../../server/commands/create-bank';
import { createBranch } from '../../server/commands/create-branch';
import { bankNotFound } from '../../server/commands/not-found';
import { setRouting } from '../../server/commands/set-routing';
import { updateBank } from '../../server/commands/update-bank';
import { updateBranch } from '../../server/commands/update-branch';
import { findBank, listBanks, listBranches } from '../../models/banks';
import { readRouting } from '../../models/routing';
import { presentBank, presentBranch } from './present';
import {
  branchParams, routingBody, type RoutingInput, createBankBody, createBranchBody, listBanksQuery, updateBankBody, updateBranchBody,
  type CreateBankInput, type CreateBranchInput, type ListBanksQuery, type UpdateBankInput, type UpdateBranchInput,
} from './schema';

type IdParams = { params: { id: number } };

export function bankRoutes(ctx: AppContext): Router {
  /** The arguments of a command acting for the caller now. */
  const run = <I>(res: Response, input: I) => ({ db: ctx.db, actor: actorOf(res), input, now: ctx.clock.now() });

  async function list(_req: Request, res: Response) {
    const { query } = inputOf<{ query: ListBanksQuery }>(res);
    const { rows, total } = await listBanks(ctx.db, query);
    res.json(listOf(rows.map((r) => presentBank(r.bank, r.productCount)), total, query));
  }

  async function show(_req: Request, res: Response) {
    const bank = await findBank(ctx.db, inputOf<IdParams>(res).params.id);
    if (!bank) throw bankNotFound();
    res.json(presentBank(bank));
  }

  async function create(_req: Request, res: Response) {
    const bank = await createBank(run(res, inputOf<{ body: CreateBankInput }>(res).body));
    res.status(201).location(`/api/banks/${bank.id}`).json(presentBank(bank));
  }

  async function update(_req: Request, res: Response) {
    const { params, body } = inputOf<IdParams & { body: UpdateBankInput }>(res);
    res.json(presentBank(await updateBank(run(res, { ...body, id: params.id }))));
  }

  async function branches(_req: Request, res: Response) {
    const { id } = inputOf<IdParams>(res).params;
    if (!(await findBank(ctx.db, id))) throw bankNotFound();
    const rows = await listBranches(ctx.db, id);
    res.json(listOf(rows.map(presentBranch), rows.length, { page: 1, pageSize: rows.length }));
  }

  async function addBranch(_req: Request, res: Response) {
    const { params, body } = inputOf<IdParams & { body: CreateBranchInput }>(res);
    const branch = await createBranch(run(res, { ...body, bankId: params.id }));
    res.status(201).location(`/api/banks/${params.id}/branches/${branch.id}`).json(presentBranch(branch));
  }

  async function editBranch(_req: Request, res: Response) {
    const { params, body } = inputOf<{ params: { id: number; branchId: number }; body: UpdateBranchInput }>(res);
    res.json(presentBranch(await updateBranch(run(res, { ...body, bankId: params.id, branchId: params.branchId }))));
  }

  async function routing(_req: Request, res: Response) {
    const { id } = inputOf<IdParams>(res).params;
    assertManagesBank(actorOf(res), id, bankNotFound);
    if (!(await findBank(ctx.db, id))) throw bankNotFound();
    res.json(await readRouting(ctx.db, id));
  }

  async function putRouting(_req: Request, res: Response) {
    const { params, body } = inputOf<IdParams & { body: RoutingInput }>(res);
    res.json(await setRouting(run(res, { ...body, bankId: params.id })));
  }

  const router = Router();
  router.get('/', validate({ query: listBanksQuery }), list);
  router.post('/', ctx.auth('admin'), validate({ body: createBankBody }), create);
  router.get('/:id', validate({ params: idParams }), show);
  router.patch('/:id', ctx.auth('admin'), validate({ params: idParams, body: updateBankBody }), update);
  router.get('/:id/branches', validate({ params: idParams }), branches);
  router.post('/:id/branches', ctx.auth('admin', 'desk', 'bank_admin'), validate({ params: idParams, body: createBranchBody }), addBranch);
  router.patch('/:id/branches/:branchId', ctx.auth('admin', 'desk', 'bank_admin'), validate({ params: branchParams, body: updateBranchBody }), editBranch);
  router.get('/:id/routing', ctx.auth('admin', 'desk', 'bank_admin'), validate({ params: idParams }), routing);
  router.put('/:id/routing', ctx.auth('admin', 'bank_admin'), validate({ params: idParams, body: routingBody }), putRouting);
  return router;
}
