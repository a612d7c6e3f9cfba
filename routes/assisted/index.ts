import { Router, type Request, type Response } from 'express';
import { actorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { inputOf, validate } from '../../server/middleware/validate';
import { listOf } from '../../server/schemas';
import { shanghaiDate } from '../../server/domain/lpr';
import { shanghaiDayRange } from '../../server/domain/shanghai-range';
import { ValidationError } from '../../server/errors';
import { assistedReport, listAssisted } from '../../models/assisted';
import { userName } from '../../models/users';
import { confirmAssisted, readConsentRequest } from '../../server/commands/confirm-assisted';
import { fileAssisted } from '../../server/commands/file-assisted';
import { presentAssisted, presentConsentRequest } from './present';
import { assistedBody, assistedReportQuery, confirmConsentBody, consentTokenParams, listAssistedQuery, type AssistedInput, type ListAssistedQuery } from './schema';

type TokenParams = { params: { token: string } };

/** Assisted applications (代办): the desk files, `GET` lists them; mounted at /api/applications/assisted. */
export function assistedRoutes(ctx: AppContext): Router {
  async function file(req: Request, res: Response) {
    const actor = actorOf(res);
    const row = await fileAssisted({ db: ctx.db, actor, input: inputOf<{ body: AssistedInput }>(res).body, now: ctx.clock.now(), ip: req.ip, matcher: await ctx.catalogue.current() });
    res.status(202).json(presentAssisted(row, actor.name ?? actor.username, `${ctx.config.publicBaseUrl}/consent/${row.token}`));
  }

  async function list(_req: Request, res: Response) {
    const { query } = inputOf<{ query: ListAssistedQuery }>(res);
    const { rows, total } = await listAssisted(ctx.db, query, query);
    res.json(listOf(rows.map((r) => presentAssisted(r.row, r.assistedByName)), total, query));
  }

  /** Who assisted how many requests in the range (Shanghai days, `to` inclusive; default the last 365 days), and what became of them. */
  async function report(_req: Request, res: Response) {
    const q = inputOf<{ query: { from?: string; to?: string } }>(res).query;
    const now = ctx.clock.now();
    const to = q.to ?? shanghaiDate(now);
    const from = q.from ?? shanghaiDate(new Date(now.getTime() - 364 * 86_400_000));
    if (from > to) throw new ValidationError([{ in: 'query', path: 'from', message: 'from must not be after to' }]);
    const range = shanghaiDayRange(from, to) as { from: Date; to: Date };
    const byStaff = (await assistedReport(ctx.db, range.from, range.to, now)).map((r) => ({ ...r, filed: Number(r.filed), confirmed: Number(r.confirmed), lapsed: Number(r.lapsed), awaiting: Number(r.awaiting), leads: Number(r.leads) }));
    const sum = (k: 'filed' | 'confirmed' | 'lapsed' | 'awaiting' | 'leads') => byStaff.reduce((n, r) => n + r[k], 0);
    res.json({ from, to, filed: sum('filed'), confirmed: sum('confirmed'), lapsed: sum('lapsed'), awaiting: sum('awaiting'), leads: sum('leads'), byStaff });
  }

  const router = Router();
  router.post('/', ctx.auth('desk'), validate({ body: assistedBody }), file);
  router.get('/report', ctx.auth('desk', 'admin'), validate({ query: assistedReportQuery }), report);
  router.get('/', ctx.auth('desk', 'admin'), validate({ query: listAssistedQuery }), list);
  return router;
}

/** The owner's side, public, by the link's token: what is asked, and the confirmation with an SMS code. */
export function consentRoutes(ctx: AppContext): Router {
  async function show(_req: Request, res: Response) {
    const row = await readConsentRequest({ db: ctx.db, input: inputOf<TokenParams>(res).params, now: ctx.clock.now() });
    res.set('Cache-Control', 'no-store').json(presentConsentRequest(row, await userName(ctx.db, row.assistedBy)));
  }

  async function confirm(req: Request, res: Response) {
    const { params, body } = inputOf<TokenParams & { body: { phoneToken: string } }>(res);
    const answer = await confirmAssisted(ctx, { input: { token: params.token, phoneToken: body.phoneToken }, now: ctx.clock.now(), ip: req.ip, matcher: await ctx.catalogue.current() });
    res.status(201).location(`/api/applications/track/${answer.trackingToken}`).json(answer);
  }

  const router = Router();
  router.get('/:token', validate({ params: consentTokenParams }), show);
  router.post('/:token/confirm', validate({ params: consentTokenParams, body: confirmConsentBody }), confirm);
  return router;
}
