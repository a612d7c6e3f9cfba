import { Router, type Request, type Response } from 'express';
import { actorOf, scopeToBank } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { inputOf, validate } from '../../server/middleware/validate';
import { idParams, listOf } from '../../server/schemas';
import { createUser } from '../../server/commands/create-user';
import { userNotFound } from '../../server/commands/not-found';
import { updateUser } from '../../server/commands/update-user';
import { findUserById, listUsers, users } from '../../models/users';
import { presentUser } from './present';
import { createUserBody, listUsersQuery, updateUserBody, type CreateUserInput, type ListUsersQuery, type UpdateUserInput } from './schema';

export function userRoutes(ctx: AppContext): Router {
  async function list(_req: Request, res: Response) {
    const { query } = inputOf<{ query: ListUsersQuery }>(res);
    const { rows, total } = await listUsers(ctx.db, { ...query, scope: scopeToBank(actorOf(res), users.bankId) });
    res.json(listOf(rows.map(presentUser), total, query));
  }

  async function show(_req: Request, res: Response) {
    const { params } = inputOf<{ params: { id: number } }>(res);
    const user = await findUserById(ctx.db, params.id, scopeToBank(actorOf(res), users.bankId));
    if (!user) throw userNotFound();
    res.json(presentUser(user));
  }

  async function create(req: Request, res: Response) {
    const { body } = inputOf<{ body: CreateUserInput }>(res);
    const user = await createUser({ db: ctx.db, actor: actorOf(res), input: body, now: ctx.clock.now(), ip: req.ip });
    res.status(201).location(`/api/users/${user.id}`).json(presentUser(user));
  }

  async function update(req: Request, res: Response) {
    const { params, body } = inputOf<{ params: { id: number }; body: UpdateUserInput }>(res);
    res.json(presentUser(await updateUser({ db: ctx.db, actor: actorOf(res), input: { ...body, id: params.id }, now: ctx.clock.now(), ip: req.ip })));
  }

  const staffAdmins = ctx.auth('admin', 'bank_admin');
  const router = Router();
  router.get('/', staffAdmins, validate({ query: listUsersQuery }), list);
  router.post('/', staffAdmins, validate({ body: createUserBody }), create);
  router.get('/:id', staffAdmins, validate({ params: idParams }), show);
  router.patch('/:id', staffAdmins, validate({ params: idParams, body: updateUserBody }), update);
  return router;
}
