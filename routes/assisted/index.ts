import { Router, type Request, type Response } from 'express';
import { eq } from 'drizzle-orm';
import { actorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { inputOf, validate } from '../../server/middleware/validate';
import { listOf } from '../../server/schemas';
import { listAssisted } from '../../models/assisted';
import { users } from '../../models/users';
import { confirmAssisted, consentRequest, fileAssisted } from './operations';
import { presentAssisted, presentConsentRequest } from './present';
import { assistedBody, confirmConsentBody, consentTokenParams, listAssistedQuery, type AssistedInput, type ListAssistedQuery } from './schema';

type TokenParams = { params: { token: string } };

/** Assisted applications (代办): the desk files, `GET` lists them; mounted at /api/applications/assisted. */
export function assistedRoutes(ctx: AppContext): Router {
  async function file(req: Request, res: Response) {
    const actor = actorOf(res);
    const { row, consentUrl } = await fileAssisted(ctx, actor, inputOf<{ body: AssistedInput }>(res).body, req.ip);
    res.status(202).json(presentAssisted(row, actor.name ?? actor.username, consentUrl));
  }

  async function list(_req: Request, res: Response) {
    const { query } = inputOf<{ query: ListAssistedQuery }>(res);
    const { rows, total } = await listAssisted(ctx.db, query, query);
    res.json(listOf(rows.map((r) => presentAssisted(r.row, r.assistedByName)), total, query));
  }

  const router = Router();
  router.post('/', ctx.auth('desk'), validate({ body: assistedBody }), file);
  router.get('/', ctx.auth('desk', 'admin'), validate({ query: listAssistedQuery }), list);
  return router;
}

/** The owner's side, public, by the link's token: what is asked, and the confirmation with an SMS code. */
export function consentRoutes(ctx: AppContext): Router {
  async function show(_req: Request, res: Response) {
    const row = await consentRequest(ctx, inputOf<TokenParams>(res).params.token);
    const [by] = await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, row.assistedBy));
    res.set('Cache-Control', 'no-store').json(presentConsentRequest(row, by?.name ?? null));
  }

  async function confirm(req: Request, res: Response) {
    const { params, body } = inputOf<TokenParams & { body: { phoneToken: string } }>(res);
    const answer = await confirmAssisted(ctx, params.token, body.phoneToken, req.ip);
    res.status(201).location(`/api/applications/track/${answer.trackingToken}`).json(answer);
  }

  const router = Router();
  router.get('/:token', validate({ params: consentTokenParams }), show);
  router.post('/:token/confirm', validate({ params: consentTokenParams, body: confirmConsentBody }), confirm);
  return router;
}
