import { api } from '../api';
import { barChart, funnelChart, trendChart } from '../charts';
import { $, h } from '../dom';
import { mountFrame, showStaffError as showError } from '../frame';
import { loadServicesCard, renderServicesCard } from '../desk/services-card';
import { t, type StringKey } from '../i18n';
import { codesOf, label, moneyAmount } from '../labels';
import { renderLeague, type BankRow, type Sort } from '../desk/league';
import { loadLists, openLead, renderLists } from '../desk/lists';
import { loadQueue, renderQueue } from '../desk/queue';
import '../strings/leads';
import '../strings/desk';

// The financing desk's dashboard: every figure comes from /api/reports/* with the filters in the form.

interface Summary {
  from: string;
  to: string;
  applications: number;
  firstLoanApplications: number;
  leads: number;
  sla: { accept: { withinSlaPct: number | null; workingHours: { median: number | null } } };
  approvalRatePct: number | null;
  approvedAmount: number;
  disbursedAmount: number;
  avgRatePct: number | null;
  avgSpreadBp: number | null;
  firstLoan: { approved: number; amount: number };
  creditLoanSharePct: number | null;
  declinesByReason: { reason: string; count: number }[];
  basis: { source: 'live' } | { source: 'rollup'; asOf: string };
}
interface Week { week: string; applications: number; leads: number; approved: number }
interface ChannelRow { scans: number; applications: number; leads: number; approved: number; disbursed: number }

let summary: Summary | undefined;
let weeks: Week[] = [];
let channels: ChannelRow[] = [];
let banks: BankRow[] = [];
let sort: { by: Sort; order: 'asc' | 'desc' } = { by: 'leads', order: 'desc' };

const pct = (v: number | null) => (v === null ? '—' : `${v}%`);

/** The form's filters as a query string (empty fields left out: the server's defaults apply). */
function filterQuery(): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of new FormData($('#filters') as HTMLFormElement)) if (typeof v === 'string' && v) q.set(k, v);
  return q;
}

function renderKpis() {
  if (!summary) return;
  const s = summary;
  const median = s.sla.accept.workingHours.median;
  const cards: [string, StringKey, string][] = [
    ['applications', 'desk.kpi.applications', String(s.applications)],
    ['firstLoanApplications', 'desk.kpi.firstLoan', String(s.firstLoanApplications)],
    ['leads', 'desk.kpi.leads', String(s.leads)],
    ['acceptWithinSla', 'desk.kpi.acceptSla', pct(s.sla.accept.withinSlaPct)],
    ['medianAccept', 'desk.kpi.medianAccept', median === null ? '—' : t('desk.hours', { n: String(median) })],
    ['approvalRate', 'desk.kpi.approvalRate', pct(s.approvalRatePct)],
    ['approvedAmount', 'desk.kpi.approvedAmount', moneyAmount(s.approvedAmount)],
    ['disbursedAmount', 'desk.kpi.disbursed', moneyAmount(s.disbursedAmount)],
    ['firstLoanApproved', 'desk.kpi.firstLoanApproved', `${s.firstLoan.approved} · ${moneyAmount(s.firstLoan.amount)}`],
    ['creditShare', 'desk.kpi.creditShare', pct(s.creditLoanSharePct)],
    ['avgRate', 'desk.kpi.avgRate', s.avgRatePct === null ? '—' : `${s.avgRatePct.toFixed(2)}% (LPR+${s.avgSpreadBp}bp)`],
  ];
  const asOf = s.basis.source === 'rollup'
    ? ` · ${t('desk.asOf', { time: new Date(s.basis.asOf).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) })}` : '';
  $('#range').textContent = `${s.from} – ${s.to}${asOf}`;
  $('#kpis').replaceChildren(...cards.map(([key, name, value]) => h('div', { class: 'kpi card', 'data-kpi': key }, h('span', { class: 'muted' }, t(name)), h('strong', {}, value))));
}

function renderCharts() {
  if (!summary) return;
  trendChart($('#chart-trend'), weeks.map((w) => w.week), [
    { name: t('desk.series.applications'), values: weeks.map((w) => w.applications), kind: 'bar' },
    { name: t('desk.series.approved'), values: weeks.map((w) => w.approved), kind: 'line' },
  ]);
  const sum = (k: keyof ChannelRow) => channels.reduce((n, c) => n + c[k], 0);
  funnelChart($('#chart-funnel'), (['scans', 'applications', 'leads', 'approved', 'disbursed'] as const).map((k) => ({ name: t(`desk.funnel.${k}`), value: sum(k) })));
  barChart($('#chart-declines'), summary.declinesByReason.map((d) => ({ name: t(`decline.${d.reason}` as StringKey), value: d.count })));
  // The league table's rows, ranked by SLA compliance here whatever column the table is sorted on.
  const bySla = banks.filter((b) => b.sla.accept.withinSlaPct !== null).sort((a, b) => b.sla.accept.withinSlaPct! - a.sla.accept.withinSlaPct!);
  barChart($('#chart-sla'), bySla.map((b) => ({ name: b.shortName, value: b.sla.accept.withinSlaPct! })), { unit: '%', max: 100 });
}

function renderAll() {
  renderKpis();
  renderCharts();
  renderLeague($('#league'), banks, sort, resort);
  renderLists();
  renderQueue();
}

async function loadLeague() {
  const q = filterQuery();
  q.set('sort', sort.by);
  q.set('order', sort.order);
  banks = (await api<{ items: BankRow[] }>('GET', `/api/reports/banks?${q}`)).items;
  renderLeague($('#league'), banks, sort, resort);
}

function resort(by: Sort) {
  sort = { by, order: sort.by === by && sort.order === 'desc' ? 'asc' : 'desc' };
  loadLeague().catch(showError);
}

async function loadReports() {
  $('#error').hidden = true;
  const q = filterQuery();
  try {
    const [s, trend, funnel] = await Promise.all([
      api<Summary>('GET', `/api/reports/summary?${q}`),
      api<{ items: Week[] }>('GET', `/api/reports/trend?${q}`),
      api<{ items: ChannelRow[] }>('GET', `/api/reports/channels?${q}`),
      loadLeague(),
      loadServicesCard(q.toString()),
    ]);
    summary = s;
    weeks = trend.items;
    channels = funnel.items;
    ($('#export') as HTMLAnchorElement).href = `/api/reports/export.csv?${q}`;
    ($('#export-xlsx') as HTMLAnchorElement).href = `/api/reports/export.xlsx?${q}`;
    renderKpis();
    renderCharts();
    document.body.dataset.reports = 'loaded';
  } catch (err) {
    showError(err);
  }
}

async function fillFilters() {
  const all = () => h('option', { value: '' }, t('desk.filter.all'));
  $('#f-district').replaceChildren(all(), ...codesOf('district').map((c) => h('option', { value: c }, label('district', c))));
  $('#f-type').replaceChildren(all(), ...codesOf('type').map((c) => h('option', { value: c }, label('type', c))));
  const list = await api<{ items: { id: number; shortName: string }[] }>('GET', '/api/banks?pageSize=100').catch(() => ({ items: [] }));
  $('#f-bank').replaceChildren(all(), ...list.items.map((b) => h('option', { value: String(b.id) }, b.shortName)));
}

async function main() {
  const me = await mountFrame();
  if (!me) return;
  await fillFilters();
  $('#filters').addEventListener('submit', (e) => {
    e.preventDefault();
    void loadReports();
  });
  document.addEventListener('langchange', renderAll);
  document.addEventListener('langchange', renderServicesCard);
  document.addEventListener('openlead', (e) => void openLead((e as CustomEvent<number>).detail));
  const lead = Number(new URLSearchParams(location.search).get('lead'));
  await Promise.all([loadReports(), loadLists(), loadQueue()]);
  if (Number.isInteger(lead) && lead > 0) await openLead(lead);
}

void main();
