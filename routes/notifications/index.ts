import { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import { actorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { inputOf, noInput, validate } from '../../server/middleware/validate';
import { idParams } from '../../server/schemas';
import { readAllNotifications, readNotification } from '../../server/commands/read-notifications';
import type { NotificationRow } from '../../models/jobs';
import { notificationsOf } from '../../models/notifications';

const present = (n: NotificationRow) => ({ id: n.id, kind: n.kind, message: n.message, leadId: n.leadId, createdAt: n.createdAt.toISOString(), readAt: n.readAt?.toISOString() ?? null });

/** A staff member's own notices: list (with the unread count), mark one or all read. */
export function notificationRoutes(ctx: AppContext): Router {
  async function list(_req: Request, res: Response) {
    const { query } = inputOf<{ query: { unread?: boolean; pageSize: number } }>(res);
    const { rows, unread } = await notificationsOf(ctx.db, actorOf(res).id, query.unread ?? false, query.pageSize);
    res.json({ items: rows.map(present), total: rows.length, page: 1, pageSize: query.pageSize, unread });
  }

  async function read(_req: Request, res: Response) {
    res.json(present(await readNotification({ db: ctx.db, actor: actorOf(res), input: inputOf<{ params: { id: number } }>(res).params, now: ctx.clock.now() })));
  }

  async function readAll(_req: Request, res: Response) {
    res.json({ marked: await readAllNotifications({ db: ctx.db, actor: actorOf(res), input: undefined, now: ctx.clock.now() }) });
  }

  const router = Router();
  router.get('/', ctx.auth(), validate({ query: Joi.object({ unread: Joi.boolean(), pageSize: Joi.number().integer().min(1).max(200).default(50) }) }), list);
  router.post('/read-all', ctx.auth(), noInput, readAll);
  router.post('/:id/read', ctx.auth(), validate({ params: idParams }), read);
  return router;
}
