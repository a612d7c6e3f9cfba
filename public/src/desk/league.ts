import { h } from '../dom';
import { t, type StringKey } from '../i18n';
import { moneyAmount } from '../labels';
import '../strings/desk';

// The bank league table: one row per bank, sorted by the server on the column clicked.

export interface BankRow {
  bankId: number;
  bankName: string;
  shortName: string;
  leads: number;
  sla: { accept: { withinSlaPct: number | null; workingHours: { median: number | null } } };
  approvalRatePct: number | null;
  approvedAmount: number;
  avgRatePct: number | null;
}

export type Sort = 'leads' | 'acceptSlaPct' | 'medianAcceptHours' | 'approvalRate' | 'approvedAmount' | 'avgRate';

const dash = (v: number | null, unit = '') => (v === null ? '—' : `${v}${unit}`);
const columns: [Sort | null, StringKey, (b: BankRow) => string][] = [
  [null, 'desk.league.bank', (b) => b.shortName],
  ['leads', 'desk.league.leads', (b) => String(b.leads)],
  ['acceptSlaPct', 'desk.league.acceptSla', (b) => dash(b.sla.accept.withinSlaPct, '%')],
  ['medianAcceptHours', 'desk.league.medianAccept', (b) => dash(b.sla.accept.workingHours.median)],
  ['approvalRate', 'desk.league.approvalRate', (b) => dash(b.approvalRatePct, '%')],
  ['approvedAmount', 'desk.league.amount', (b) => moneyAmount(b.approvedAmount)],
  ['avgRate', 'desk.league.avgRate', (b) => (b.avgRatePct === null ? '—' : `${b.avgRatePct.toFixed(2)}%`)],
];

export function renderLeague(table: HTMLElement, rows: BankRow[], sort: { by: Sort; order: 'asc' | 'desc' }, onSort: (by: Sort) => void) {
  const head = h('tr', {}, ...columns.map(([key, title]) => {
    if (!key) return h('th', { scope: 'col' }, t(title));
    const button = h('button', { type: 'button', 'data-sort': key }, t(title));
    button.addEventListener('click', () => onSort(key));
    return h('th', { scope: 'col', ...(sort.by === key ? { 'aria-sort': sort.order === 'asc' ? 'ascending' : 'descending' } : {}) }, button);
  }));
  const body = rows.length
    ? rows.map((b) => h('tr', { 'data-bank': String(b.bankId) }, ...columns.map(([, , cell], i) => h(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row', title: b.bankName } : {}, cell(b)))))
    : [h('tr', {}, h('td', { colspan: String(columns.length) }, t('desk.league.empty')))];
  table.replaceChildren(h('thead', {}, head), h('tbody', {}, ...body));
}
