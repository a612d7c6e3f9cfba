import { Router, type Request, type Response } from 'express';
import { actorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { currentRequestId } from '../../server/middleware/request-context';
import { inputOf, validate } from '../../server/middleware/validate';
import { listOf } from '../../server/schemas';
import { recordAudit } from '../../models/audit';
import { shanghaiDayRange } from '../../server/domain/shanghai-range';
import { ValidationError } from '../../server/errors';
import { recordConsultation } from '../../server/commands/record-consultation';
import { allConsultations, consultationCounts, listConsultations, type ConsultationFilter } from '../../models/consultations';
import { consultationsCsv, presentConsultation, presentCounts } from './present';
import {
  consultationStatsQuery, createConsultationBody, exportConsultationsQuery, listConsultationsQuery,
  type ConsultationQuery, type CreateConsultationInput, type ListConsultationsQuery,
} from './schema';

/** The filter of a list or export: `from` after `to` is a 400 on from. */
function consultationFilter(q: ConsultationQuery): ConsultationFilter {
  if (q.from && q.to && q.from > q.to) throw new ValidationError([{ in: 'query', path: 'from', message: 'from must not be after to' }]);
  return { ...shanghaiDayRange(q.from, q.to), outcome: q.outcome, q: q.q };
}

/** The desk's consultation ledger (咨询台账): the desk records; desk and admin read. Banks never see it. */
export function consultationRoutes(ctx: AppContext): Router {
  async function create(req: Request, res: Response) {
    const row = await recordConsultation({ db: ctx.db, actor: actorOf(res), input: inputOf<{ body: CreateConsultationInput }>(res).body, now: ctx.clock.now(), ip: req.ip });
    res.status(201).location(`/api/consultations/${row.id}`).json(presentConsultation(row));
  }

  async function list(_req: Request, res: Response) {
    const { query } = inputOf<{ query: ListConsultationsQuery }>(res);
    const { rows, total } = await listConsultations(ctx.db, consultationFilter(query), query);
    res.json(listOf(rows.map(presentConsultation), total, query));
  }

  async function exportCsv(req: Request, res: Response) {
    const { query } = inputOf<{ query: ConsultationQuery }>(res);
    const rows = await allConsultations(ctx.db, consultationFilter(query));
    await recordAudit(ctx.db, { actor: actorOf(res), action: 'consultation.export', entity: 'report', entityId: 'consultations', after: { ...query, rows: rows.length }, ip: req.ip, requestId: currentRequestId() });
    res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="rongma-consultations-${query.from ?? 'all'}-${query.to ?? 'now'}.csv"`)
      .set('Cache-Control', 'no-store').send(consultationsCsv(rows));
  }

  async function stats(_req: Request, res: Response) {
    const { query } = inputOf<{ query: ConsultationQuery }>(res);
    res.json({ from: query.from ?? null, to: query.to ?? null, ...presentCounts(await consultationCounts(ctx.db, consultationFilter(query))) });
  }

  const desk = ctx.auth('desk');
  const readers = ctx.auth('desk', 'admin');
  const router = Router();
  router.post('/', desk, validate({ body: createConsultationBody }), create);
  router.get('/', readers, validate({ query: listConsultationsQuery }), list);
  router.get('/export.csv', readers, validate({ query: exportConsultationsQuery }), exportCsv);
  router.get('/stats', readers, validate({ query: consultationStatsQuery }), stats);
  return router;
}
