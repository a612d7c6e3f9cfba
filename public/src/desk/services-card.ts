import { api } from '../api';
import { $, h } from '../dom';
import { t, type StringKey } from '../i18n';
import '../strings/desk';

// The /desk dashboard's card for the desk's own services: consultations by outcome and by week in the range,
// with links to the ledger, the coaching cases and the assisted applications.

const outcomes = ['informed', 'applied', 'coaching', 'referred', 'other'] as const;
interface Counts { total: number; byOutcome: Record<string, number>; weeks: { weekOf: string; total: number }[] }
let counts: Counts | undefined;

export function renderServicesCard(): void {
  const box = document.getElementById('services-card');
  if (!box || !counts) return;
  const c = counts;
  $('#services-counts').replaceChildren(
    h('p', { 'data-consultations': String(c.total) }, t('svc.desk.total', { n: String(c.total) })),
    h('ul', { class: 'lead-list' }, ...outcomes.map((o) => h('li', { 'data-outcome': o }, `${t(`cons.outcome.${o}` as StringKey)}：${c.byOutcome[o] ?? 0}`))),
    h('p', { class: 'muted' }, c.weeks.slice(-6).map((w) => `${w.weekOf}：${w.total}`).join(' · ')),
  );
}

/** Loads the counts for the dashboard's range (the same `from`/`to` Shanghai days as the reports). */
export async function loadServicesCard(query: string): Promise<void> {
  const p = new URLSearchParams(query);
  const range = new URLSearchParams([...p].filter(([k]) => k === 'from' || k === 'to'));
  counts = await api<Counts>('GET', `/api/consultations/stats?${range}`);
  renderServicesCard();
}
