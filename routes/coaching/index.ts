import { Router, type Request, type Response } from 'express';
import { actorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { shanghaiDate } from '../../server/domain/lpr';
import { shanghaiDayRange } from '../../server/domain/shanghai-range';
import { ValidationError } from '../../server/errors';
import { inputOf, validate } from '../../server/middleware/validate';
import { idParams, listOf } from '../../server/schemas';
import { caseNotFound } from '../../server/commands/not-found';
import { openCoachingCase } from '../../server/commands/open-coaching-case';
import { updateCoachingCase } from '../../server/commands/update-coaching-case';
import { financedReport, findCase, gapsOf, listCases, openedBetween } from '../../models/coaching';
import { presentCase } from './present';
import {
  coachingReportQuery, createCoachingBody, listCoachingQuery, updateCoachingBody,
  type CreateCoachingInput, type ListCoachingQuery, type UpdateCoachingInput,
} from './schema';

const DAY = 86_400_000;
type IdParams = { params: { id: number } };

/** Credit coaching (信用辅导): the desk opens and moves cases; desk and admin read; banks never see them. */
export function coachingRoutes(ctx: AppContext): Router {
  const today = () => shanghaiDate(ctx.clock.now());

  async function create(req: Request, res: Response) {
    const { row, gaps } = await openCoachingCase({ db: ctx.db, actor: actorOf(res), input: inputOf<{ body: CreateCoachingInput }>(res).body, now: ctx.clock.now(), ip: req.ip });
    res.status(201).location(`/api/coaching/${row.id}`).json(presentCase(row, gaps, today()));
  }

  async function list(_req: Request, res: Response) {
    const { query } = inputOf<{ query: ListCoachingQuery }>(res);
    const { rows, total } = await listCases(ctx.db, { status: query.status, dueBy: query.due, uscc: query.uscc }, query);
    const gaps = await gapsOf(ctx.db, rows.map((r) => r.id));
    res.json(listOf(rows.map((r) => presentCase(r, gaps, today())), total, query));
  }

  async function show(_req: Request, res: Response) {
    const { id } = inputOf<IdParams>(res).params;
    const row = await findCase(ctx.db, id);
    if (!row) throw caseNotFound();
    res.json(presentCase(row, await gapsOf(ctx.db, [id]), today()));
  }

  async function update(req: Request, res: Response) {
    const { params, body } = inputOf<IdParams & { body: UpdateCoachingInput }>(res);
    const { row, gaps } = await updateCoachingCase({ db: ctx.db, actor: actorOf(res), input: { ...body, id: params.id }, now: ctx.clock.now(), ip: req.ip });
    res.json(presentCase(row, gaps, today()));
  }

  /** Coached companies financed in the range (Shanghai days, `to` inclusive; default the last 365 days) and how long it took. */
  async function report(_req: Request, res: Response) {
    const q = inputOf<{ query: { from?: string; to?: string } }>(res).query;
    const to = q.to ?? today();
    const from = q.from ?? shanghaiDate(new Date(ctx.clock.now().getTime() - 364 * DAY));
    if (from > to) throw new ValidationError([{ in: 'query', path: 'from', message: 'from must not be after to' }]);
    const range = shanghaiDayRange(from, to) as { from: Date; to: Date };
    const rows = await financedReport(ctx.db, range.from, range.to);
    const days = rows.map((r) => Number(r.days)).sort((a, b) => a - b);
    const mid = days.length >> 1;
    res.json({
      from, to, opened: await openedBetween(ctx.db, range.from, range.to), financed: rows.length,
      medianDays: days.length === 0 ? null : days.length % 2 ? days[mid]! : (days[mid - 1]! + days[mid]!) / 2,
      items: rows.map((r) => ({ id: r.id, uscc: r.uscc, companyName: r.company_name, openedAt: new Date(r.opened_at).toISOString(), financedAt: new Date(r.financed_at).toISOString(), days: Number(r.days) })),
    });
  }

  const desk = ctx.auth('desk');
  const readers = ctx.auth('desk', 'admin');
  const router = Router();
  router.post('/', desk, validate({ body: createCoachingBody }), create);
  router.get('/', readers, validate({ query: listCoachingQuery }), list);
  router.get('/report', readers, validate({ query: coachingReportQuery }), report);
  router.get('/:id', readers, validate({ params: idParams }), show);
  router.patch('/:id', desk, validate({ params: idParams, body: updateCoachingBody }), update);
  return router;
}
