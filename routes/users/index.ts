import { Router, type Request, type Response } from 'express';
import { actorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { inputOf, validate } from '../../server/middleware/validate';
import { idParams, listOf } from '../../server/schemas';
import { createUser, getVisibleUser, listVisibleUsers, updateUser } from './operations';
import { presentUser } from './present';
import { createUserBody, listUsersQuery, updateUserBody, type CreateUserInput, type ListUsersQuery, type UpdateUserInput } from './schema';

export function userRoutes(ctx: AppContext): Router {
  async function list(_req: Request, res: Response) {
    const { query } = inputOf<{ query: ListUsersQuery }>(res);
    const { rows, total } = await listVisibleUsers(ctx, actorOf(res), query);
    res.json(listOf(rows.map(presentUser), total, query));
  }

  async function show(_req: Request, res: Response) {
    const { params } = inputOf<{ params: { id: number } }>(res);
    res.json(presentUser(await getVisibleUser(ctx, actorOf(res), params.id)));
  }

  async function create(req: Request, res: Response) {
    const { body } = inputOf<{ body: CreateUserInput }>(res);
    const user = await createUser(ctx, actorOf(res), body, req.ip);
    res.status(201).location(`/api/users/${user.id}`).json(presentUser(user));
  }

  async function update(req: Request, res: Response) {
    const { params, body } = inputOf<{ params: { id: number }; body: UpdateUserInput }>(res);
    res.json(presentUser(await updateUser(ctx, actorOf(res), params.id, body, req.ip)));
  }

  const staffAdmins = ctx.auth('admin', 'bank_admin');
  const router = Router();
  router.get('/', staffAdmins, validate({ query: listUsersQuery }), list);
  router.post('/', staffAdmins, validate({ body: createUserBody }), create);
  router.get('/:id', staffAdmins, validate({ params: idParams }), show);
  router.patch('/:id', staffAdmins, validate({ params: idParams, body: updateUserBody }), update);
  return router;
}
