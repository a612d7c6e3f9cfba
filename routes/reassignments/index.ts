import { Router, type Request, type Response } from 'express';
import { actorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { inputOf, validate } from '../../server/middleware/validate';
import { idParams, type Paging } from '../../server/schemas';
import { cancelOffer, listReassignments, reassignLead, reassignmentQueue } from './service';
import { listQuery, queueQuery, reassignBody, type ListQuery, type ReassignInput } from './schema';

/** The desk's reassignment queue and its hand-overs of escalated leads to other banks (desk and admin). */
export function reassignmentRoutes(ctx: AppContext): Router {
  async function queue(_req: Request, res: Response) {
    res.set('Cache-Control', 'no-store').json(await reassignmentQueue(ctx, actorOf(res), inputOf<{ query: Paging }>(res).query));
  }

  async function list(_req: Request, res: Response) {
    res.json(await listReassignments(ctx, inputOf<{ query: ListQuery }>(res).query));
  }

  async function create(_req: Request, res: Response) {
    const { status, body } = await reassignLead(ctx, actorOf(res), inputOf<{ body: ReassignInput }>(res).body);
    res.status(status).json(body);
  }

  async function cancel(_req: Request, res: Response) {
    const row = await cancelOffer(ctx, inputOf<{ params: { id: number } }>(res).params.id);
    res.json({ id: row.id, status: row.status, resolvedAt: row.resolvedAt?.toISOString() ?? null });
  }

  const desk = ctx.auth('desk', 'admin');
  const router = Router();
  router.get('/queue', desk, validate({ query: queueQuery }), queue);
  router.get('/', desk, validate({ query: listQuery }), list);
  router.post('/', desk, validate({ body: reassignBody }), create);
  router.post('/:id/cancel', desk, validate({ params: idParams }), cancel);
  return router;
}
