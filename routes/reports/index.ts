import { Router, type Request, type Response } from 'express';
import { recordAudit } from '../../models/audit';
import { actorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { currentRequestId } from '../../server/middleware/request-context';
import { shanghaiDate } from '../../server/domain/lpr';
import { inputOf, validate } from '../../server/middleware/validate';
import { ValidationError } from '../../server/errors';
import { listAmendments } from '../../models/amendments';
import { listOf } from '../../server/schemas';
import { bankFigures, channelFunnel, exportRows, summaryFigures, weeklyTrend, type ReportFilter } from '../../models/reports';
import { presentAmendment, presentFigures } from './present';
import { amendmentsQuery, leagueQuery, reportQuery, type AmendmentsQuery, type LeagueQuery, type ReportQuery } from './schema';
import { XLSX_TYPE } from '../../server/xlsx';
import { reportCsv, reportXlsx } from './csv';

const DAY = 86_400_000;

/** The financing desk's reports (desk and admin only): summary, league table, channel funnel, weekly trend, CSV export. */
export function reportRoutes(ctx: AppContext): Router {
  function filterOf(q: ReportQuery): ReportFilter {
    const now = ctx.clock.now();
    const to = q.to ?? shanghaiDate(now);
    const from = q.from ?? shanghaiDate(new Date(now.getTime() - 364 * DAY));
    if (from > to) throw new ValidationError([{ in: 'query', path: 'from', message: 'from must not be after to' }]);
    return { ...q, from, to, now };
  }
  const range = (f: ReportFilter) => ({ from: f.from, to: f.to });

  async function summary(_req: Request, res: Response) {
    const f = filterOf(inputOf<{ query: ReportQuery }>(res).query);
    const { basis, row, declines, secondLook } = await summaryFigures(ctx.db, f);
    res.json({
      ...range(f), basis,
      applications: Number(row.applications), firstLoanApplications: Number(row.first_loan_applications),
      ...presentFigures(row),
      declinesByReason: declines.map((d) => ({ reason: d.reason, count: Number(d.n) })),
      secondLook: { leads: secondLook.reduce((n, s) => n + Number(s.n), 0), byStatus: Object.fromEntries(secondLook.map((s) => [s.status, Number(s.n)])) },
    });
  }

  async function banks(_req: Request, res: Response) {
    const q = inputOf<{ query: LeagueQuery }>(res).query;
    const f = filterOf(q);
    const { basis, rows } = await bankFigures(ctx.db, f, q.sort, q.order);
    res.json({ ...range(f), basis, sort: q.sort, order: q.order, items: rows.map((r) => ({ bankId: r.bank_id, bankName: r.bank_name, shortName: r.short_name, ...presentFigures(r) })) });
  }

  async function channels(_req: Request, res: Response) {
    const f = filterOf(inputOf<{ query: ReportQuery }>(res).query);
    const { basis, rows } = await channelFunnel(ctx.db, f);
    res.json({ ...range(f), basis, items: rows.map((r) => ({ channelId: r.channel_id, code: r.code, name: r.name, kind: r.kind, district: r.district, scans: Number(r.scans), applications: Number(r.applications), leads: Number(r.leads), approved: Number(r.approved), disbursed: Number(r.disbursed) })) });
  }

  async function trend(_req: Request, res: Response) {
    const f = filterOf(inputOf<{ query: ReportQuery }>(res).query);
    const { basis, rows } = await weeklyTrend(ctx.db, f);
    res.json({ ...range(f), basis, items: rows.map((r) => ({ week: r.week, applications: Number(r.applications), leads: Number(r.leads), approved: Number(r.approved), approvedAmount: Number(r.approved_amount) })) });
  }

  /** The filtered leads as a file: CSV (formula-guarded) or .xlsx. */
  const exportLeads = (format: 'csv' | 'xlsx') => async function exportLeads(req: Request, res: Response) {
    const query = inputOf<{ query: ReportQuery }>(res).query;
    const f = filterOf(query);
    const rows = await exportRows(ctx.db, f);
    await recordAudit(ctx.db, { actor: actorOf(res), action: 'report.export', entity: 'report', entityId: 'leads', after: { ...query, ...range(f), format, rows: rows.length }, ip: req.ip, requestId: currentRequestId() });
    res.type(format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="rongma-leads-${f.from}-${f.to}.${format}"`)
      .set('Cache-Control', 'no-store')
      .send(format === 'xlsx' ? await reportXlsx(rows) : reportCsv(rows));
  };

  /** Decisions the banks corrected after granting them (POST /api/leads/:id/amend), with before, after and the reason. */
  async function amendments(_req: Request, res: Response) {
    const q = inputOf<{ query: AmendmentsQuery }>(res).query;
    const f = filterOf(q);
    const { rows, total } = await listAmendments(ctx.db, { from: f.from, to: f.to, bankId: q.bankId, page: q.page, pageSize: q.pageSize });
    res.json({ ...range(f), ...listOf(rows.map(presentAmendment), total, q) });
  }

  const desk = ctx.auth('desk', 'admin');
  const router = Router();
  router.get('/summary', desk, validate({ query: reportQuery }), summary);
  router.get('/banks', desk, validate({ query: leagueQuery }), banks);
  router.get('/channels', desk, validate({ query: reportQuery }), channels);
  router.get('/trend', desk, validate({ query: reportQuery }), trend);
  router.get('/amendments', desk, validate({ query: amendmentsQuery }), amendments);
  router.get('/export.csv', desk, validate({ query: reportQuery }), exportLeads('csv'));
  router.get('/export.xlsx', desk, validate({ query: reportQuery }), exportLeads('xlsx'));
  return router;
}
