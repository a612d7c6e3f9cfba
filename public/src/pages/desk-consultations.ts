import { api } from '../api';
import type { Consultation as Row, Paged } from '../api-types';
import { $, h } from '../dom';
import { mountFrame } from '../frame';
import { t, type StringKey } from '../i18n';
import { digits, field, fillSelect, mountUsccLookup, shanghaiTime, showProblem } from '../desk/services';
import '../strings/desk';

// The consultation ledger (咨询台账): record a visit in under a minute, filter, search, export, weekly counts.

const channels = ['walk_in', 'phone', 'online', 'visit'] as const;
const outcomes = ['informed', 'applied', 'coaching', 'referred', 'other'] as const;

interface Counts { total: number; byOutcome: Record<string, number>; weeks: { weekOf: string; total: number; byOutcome: Record<string, number> }[] }

let rows: Row[] = [];
let total = 0;
let counts: Counts | undefined;

function query(): string {
  const form = new FormData($('#filter-form') as HTMLFormElement);
  const p = new URLSearchParams();
  for (const [k, v] of form) if (String(v).trim()) p.set(k, String(v).trim());
  return p.toString();
}

function render() {
  $('#count').textContent = t('svc.count', { n: String(total) });
  const head = h('tr', {}, ...(['svc.time', 'svc.companyName', 'svc.contactName', 'cons.channel', 'cons.topics', 'cons.outcome', 'svc.note', 'cons.recordedBy'] as StringKey[]).map((k) => h('th', { scope: 'col' }, t(k))));
  $('#ledger').replaceChildren(h('thead', {}, head), h('tbody', {}, ...(rows.length ? rows.map((r) => h('tr', { 'data-consultation': String(r.id) },
    h('td', {}, shanghaiTime(r.createdAt)), h('th', { scope: 'row' }, r.companyName, r.uscc ? h('br') : null, r.uscc ? h('small', { class: 'muted' }, r.uscc) : null),
    h('td', {}, [r.contactName, r.phone].filter(Boolean).join(' ')), h('td', {}, t(`cons.channel.${r.channel}` as StringKey)),
    h('td', {}, r.topics.join('、')), h('td', {}, t(`cons.outcome.${r.outcome}` as StringKey)), h('td', {}, r.note ?? ''), h('td', {}, r.recordedBy.name ?? '')))
    : [h('tr', {}, h('td', { colspan: '8' }, t('svc.none')))])));
  if (counts) {
    const whead = h('tr', {}, h('th', { scope: 'col' }, t('cons.weekOf')), ...outcomes.map((o) => h('th', { scope: 'col' }, t(`cons.outcome.${o}` as StringKey))), h('th', { scope: 'col' }, t('cons.total')));
    const line = (name: string, c: Record<string, number>, n: number, attrs: Record<string, string> = {}) => h('tr', attrs, h('th', { scope: 'row' }, name), ...outcomes.map((o) => h('td', {}, String(c[o] ?? 0))), h('td', {}, String(n)));
    $('#weeks').replaceChildren(h('thead', {}, whead), h('tbody', {}, ...counts.weeks.map((w) => line(w.weekOf, w.byOutcome, w.total, { 'data-week': w.weekOf })), line(t('cons.total'), counts.byOutcome, counts.total, { 'data-week': 'total' })));
  }
}

async function load() {
  try {
    const q = query();
    const [page, c] = await Promise.all([
      api<Paged<Row>>('GET', `/api/consultations?pageSize=50&${q}`),
      api<Counts>('GET', `/api/consultations/stats?${new URLSearchParams([...new URLSearchParams(q)].filter(([k]) => k === 'from' || k === 'to'))}`),
    ]);
    rows = page.items;
    total = page.total;
    counts = c;
    ($('#export') as HTMLAnchorElement).href = `/api/consultations/export.csv?${q}`;
    render();
  } catch (err) {
    showProblem(err);
  }
}

async function save(e: Event) {
  e.preventDefault();
  $('#error').hidden = true;
  const list = (v: string) => v.split(/[,，、\s]+/).map((s) => s.trim()).filter(Boolean);
  const body: Record<string, unknown> = {
    companyName: field('f-name').value.trim(), channel: field('f-channel').value, outcome: field('f-outcome').value,
    topics: list(field('f-topics').value), productIds: list(field('f-products').value).map(Number),
  };
  const uscc = field('f-uscc').value.trim();
  if (uscc) body.uscc = uscc;
  if (field('f-contact').value.trim()) body.contactName = field('f-contact').value.trim();
  if (digits(field('f-phone').value)) body.phone = digits(field('f-phone').value);
  if (field('f-note').value.trim()) body.note = field('f-note').value.trim();
  try {
    await api('POST', '/api/consultations', body);
    ($('#cons-form') as HTMLFormElement).reset();
    $('#f-uscc-note').textContent = '';
    $('#saved').textContent = t('svc.saved');
    await load();
  } catch (err) {
    showProblem(err);
  }
}

async function main() {
  if (!(await mountFrame())) return;
  const selects = () => {
    fillSelect('f-channel', channels, 'cons.channel');
    fillSelect('f-outcome', outcomes, 'cons.outcome');
    fillSelect('q-outcome', outcomes, 'cons.outcome', true);
  };
  selects();
  mountUsccLookup();
  $('#cons-form').addEventListener('submit', (e) => void save(e));
  $('#filter-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  document.addEventListener('langchange', () => {
    selects();
    render();
  });
  await load();
}

void main();
