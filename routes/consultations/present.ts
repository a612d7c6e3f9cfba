import { maskPhone } from '../../server/domain/mask';
import type { ConsultationListRow, ConsultationOutcome, ConsultationRow } from '../../models/consultations';
import { consultationOutcomes } from '../../models/consultations';
import { numberText, writeCsv, type Cell } from '../../server/csv';

/** A consultation as the desk reads it; the phone masked as everywhere outside a bank's own lead. */
export function presentConsultation(r: ConsultationRow & { recordedByName?: string }) {
  return {
    id: r.id, createdAt: r.createdAt.toISOString(), uscc: r.uscc, companyName: r.companyName, contactName: r.contactName,
    phone: r.phone ? maskPhone(r.phone) : null, channel: r.channel, topics: r.topics, productIds: r.productIds,
    note: r.note, outcome: r.outcome, recordedBy: { id: r.recordedBy, name: r.recordedByName ?? null },
  };
}
export type ConsultationAnswer = ReturnType<typeof presentConsultation>;

const channelZh: Record<string, string> = { walk_in: '到窗口', phone: '电话', online: '线上', visit: '上门走访' };
export const outcomeZh: Record<ConsultationOutcome, string> = { informed: '已解答', applied: '已申请', coaching: '转信用辅导', referred: '转介银行', other: '其他' };

const shanghaiTime = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** The ledger as Excel opens it: Chinese headers, Shanghai times, every text cell through the formula guard. */
export function consultationsCsv(rows: ConsultationListRow[]): string {
  const header = ['编号', '时间', '统一社会信用代码', '企业名称', '联系人', '联系电话', '方式', '咨询事项', '涉及产品', '结果', '备注', '登记人'];
  const body: Cell[][] = rows.map((r) => [
    numberText(r.id), shanghaiTime(r.createdAt), r.uscc, r.companyName, r.contactName, r.phone ? maskPhone(r.phone) : null,
    channelZh[r.channel] ?? r.channel, r.topics.join('、'), r.productIds.join(' '), outcomeZh[r.outcome], r.note, r.recordedByName,
  ]);
  return writeCsv([header, ...body]);
}

/** Counts per week and outcome: each week with every outcome (zeros included) and the totals. */
export function presentCounts(rows: { week: string; outcome: ConsultationOutcome; n: number }[]) {
  const zero = () => Object.fromEntries(consultationOutcomes.map((o) => [o, 0])) as Record<ConsultationOutcome, number>;
  const weeks = new Map<string, Record<ConsultationOutcome, number>>();
  const byOutcome = zero();
  let total = 0;
  for (const r of rows) {
    const w = weeks.get(r.week) ?? zero();
    w[r.outcome] += Number(r.n);
    weeks.set(r.week, w);
    byOutcome[r.outcome] += Number(r.n);
    total += Number(r.n);
  }
  return {
    total, byOutcome,
    weeks: [...weeks.entries()].map(([weekOf, counts]) => ({ weekOf, total: Object.values(counts).reduce((a, b) => a + b, 0), byOutcome: counts })),
  };
}
