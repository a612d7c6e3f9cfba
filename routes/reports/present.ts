import type { AmendmentRow } from '../../models/amendments';
import type { FigureRow } from '../../models/reports';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const hours = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
/** percentile_cont(array[0.5, 0.9]) answers both in one array (null when nothing was measured). */
const quantiles = (v: unknown) => {
  const [median, p90] = Array.isArray(v) ? v : [null, null];
  return { median: hours(median), p90: hours(p90) };
};
const pct = (met: unknown, due: unknown) => (Number(due) > 0 ? Math.round((Number(met) / Number(due)) * 1000) / 10 : null);

/** Figures as the API answers them: counts, percentages (one decimal), hours (two), money in whole CNY. */
export function presentFigures(r: FigureRow) {
  const stage = (name: 'accept' | 'contact' | 'decision') => ({
    due: num(r[`${name}_due`]), met: num(r[`${name}_met`]), withinSlaPct: pct(r[`${name}_met`], r[`${name}_due`]),
    workingHours: quantiles(r[`${name}_wh`]),
    calendarHours: quantiles(r[`${name}_ch`]),
  });
  const avgRate = r.avg_rate === null ? null : Math.round(Number(r.avg_rate) * 100) / 100;
  return {
    leads: num(r.leads),
    sla: { accept: stage('accept'), contact: stage('contact'), decision: stage('decision') },
    /** Leads in scope overdue now, by the step that is late (the lead answer's `overdue`). */
    overdue: { accept: num(r.overdue_accept), contact: num(r.overdue_contact), decision: num(r.overdue_decision) },
    decided: num(r.decided),
    approved: num(r.approved),
    approvalRatePct: pct(r.approved, r.decided),
    approvedAmount: num(r.approved_amount),
    disbursedAmount: num(r.disbursed_amount),
    avgRatePct: avgRate,
    avgSpreadBp: r.avg_spread_bp === null ? null : Math.round(Number(r.avg_spread_bp)),
    firstLoan: { approved: num(r.first_loan_approved), amount: num(r.first_loan_amount) },
    creditLoanSharePct: pct(r.credit_approved, r.approved),
  };
}

/** One corrected decision: the terms before and after and the bank's reason, as the amend event recorded them. */
export function presentAmendment(r: AmendmentRow) {
  const note = (r.note ? JSON.parse(r.note) : {}) as { reason?: string; before?: unknown; after?: unknown };
  return {
    leadId: r.lead_id, bankId: r.bank_id, bankName: r.bank_name, productName: r.product_name,
    at: new Date(r.at).toISOString(), actorId: r.actor_id, reason: note.reason ?? null, before: note.before ?? null, after: note.after ?? null,
  };
}
