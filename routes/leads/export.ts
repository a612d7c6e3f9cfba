import type { Request, Response } from 'express';
import { actorOf } from '../../server/auth';
import type { AppContext } from '../../server/context';
import { NumberText, numberText, writeCsv, type Cell } from '../../server/csv';
import { overdueStage } from '../../server/domain/lead-lifecycle';
import { maskName, maskPhone } from '../../server/domain/mask';
import { inputOf } from '../../server/middleware/validate';
import { currentRequestId } from '../../server/middleware/request-context';
import { leadScope, seesContact } from '../../server/policies';
import { writeXlsx, XLSX_TYPE } from '../../server/xlsx';
import { recordAudit } from '../../models/audit';
import { listLeads, type LeadWithApplication } from '../../models/lead-queries';
import type { ListLeadsQuery } from './schema';

/** At most this many leads per file (a bank's whole pilot year fits). */
const EXPORT_LIMIT = 20_000;

const header = ['线索编号 lead', '提交时间 created', '状态 status', '企业名称 company', '统一社会信用代码 USCC', '区县 district', '行业 industry', '规模 size',
  '首贷 first loan', '产品 product', '需求金额 need (CNY)', '需求期限 months', '联系人 contact', '电话 phone', '受理截止 accept due', '超时 overdue',
  '批复金额 amount', '年利率 rate %', '期限 months', '担保方式 guarantee', '不予批准原因 decline reason', '放款金额 disbursed', '放款日期 disbursed on'];

/** One lead as a row; the contact unmasked only where this bank holds the lead (`seesContact`). */
function rowOf(r: LeadWithApplication, unmasked: boolean, now: Date): Cell[] {
  const { lead: l, application: a } = r;
  const c = a.companySnapshot;
  return [l.id, l.createdAt.toISOString(), l.status, c.name, c.uscc, c.district, c.industry, a.companySize,
    l.firstLoanConfirmed ?? a.isFirstLoan, (l.productSnapshot as { name?: string }).name ?? '', a.needAmount, a.needTermMonths,
    unmasked ? a.contactName : maskName(a.contactName), unmasked ? a.contactPhone : maskPhone(a.contactPhone),
    l.acceptDueAt?.toISOString() ?? '', overdueStage(l, now) ?? '',
    l.termsAmount, numberText(l.termsRatePct), l.termsMonths, l.termsGuaranteeType, l.declineReason, l.disbursedAmount, l.disbursedOn];
}

/**
 * The caller's own leads (the lead scope, the list's filters) as CSV through the shared CSV module
 * (formula cells neutralised, BOM for Excel) or as .xlsx. Written to the audit log with how many rows
 * carried an unmasked contact.
 */
export function exportLeads(ctx: AppContext) {
  return async (req: Request, res: Response) => {
    const actor = actorOf(res);
    const { query } = inputOf<{ query: ListLeadsQuery & { format: 'csv' | 'xlsx' } }>(res);
    const now = ctx.clock.now();
    const { rows } = await listLeads(ctx.db, { ...query, scope: leadScope(actor), now, actorId: actor.id, page: 1, pageSize: EXPORT_LIMIT, bankId: undefined });
    const unmasked = rows.map((r) => seesContact(actor, r.lead));
    const body = rows.map((r, i) => rowOf(r, unmasked[i]!, now));
    await recordAudit(ctx.db, {
      actor, action: 'lead.export', entity: 'lead', bankId: actor.bankId, ip: req.ip, requestId: currentRequestId(),
      after: { format: query.format, rows: rows.length, unmaskedContacts: unmasked.filter(Boolean).length },
    });
    res.set('Cache-Control', 'no-store').set('Content-Disposition', `attachment; filename="rongma-leads-${now.toISOString().slice(0, 10)}.${query.format}"`);
    if (query.format === 'xlsx') {
      res.type(XLSX_TYPE).send(await writeXlsx('leads', [header, ...body.map((r) => r.map((v) => (v === null || v === undefined ? null : v instanceof NumberText ? Number(v.text) : typeof v === 'bigint' ? Number(v) : v)))]));
    } else {
      res.type('text/csv; charset=utf-8').send(writeCsv([header, ...body]));
    }
  };
}
