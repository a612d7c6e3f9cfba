import { api } from '../api';
import { $, h } from '../dom';
import { mountFrame, showStaffError as showError, type Me } from '../frame';
import { t, when } from '../i18n';
import { codesOf, label, moneyAmount } from '../labels';
import { eventText, statusText } from '../lead-text';
import type { StringKey } from '../strings';

interface LeadSummary {
  id: number;
  productName: string;
  status: string;
  open: boolean;
  officerId: number | null;
  company: { name: string; district: string; industry: string };
  need: { amount: number; termMonths: number; purpose: string };
  isFirstLoan: boolean;
  createdAt: string;
  overdue: 'accept' | 'contact' | 'decision' | null;
}
interface LeadDetail extends LeadSummary {
  contact: { name: string; phone: string; masked: boolean };
  firstLoanConfirmed: boolean | null;
  terms: { amount: number; ratePct: number; termMonths: number; guaranteeType: string } | null;
  declineReason: string | null;
  events: { id: number; at: string; action: string; fromStatus: string | null; toStatus: string | null; note: string | null }[];
}
interface List<T> {
  items: T[];
  total: number;
}

/** The bank's own products as the bank admin sees them; `review` is set while the desk's latest word on a draft is a return. */
interface OwnProduct {
  id: number;
  code: string;
  name: string;
  version: number;
  status: 'draft' | 'published' | 'retired';
  updatedAt: string;
  review: { action: 'returned'; comment: string; at: string; resubmitted: boolean } | null;
}

const declineReasons = ['insufficient_history', 'insufficient_revenue', 'credit_record', 'collateral', 'industry_policy', 'unreachable', 'applicant_withdrew', 'other'];
const WAN = 10_000;
let me: Me;
let tab = 'new';
let selected: number | undefined;
let leads: LeadSummary[] = [];
let officers: { id: number; username: string; name: string | null; branchId: number | null; active: boolean }[] = [];
let branchList: { id: number; name: string; district: string | null }[] = [];
const branchName = (id: number | null) => branchList.find((b) => b.id === id)?.name ?? t('bank.officer.none');

/** What a bank admin manages: the bank's officers and branches (for assignment and routing). */
async function loadBankData() {
  if (me.user.role !== 'bank_admin') return;
  [officers, branchList] = await Promise.all([
    api<List<typeof officers[number] & { role: string }>>('GET', '/api/users?role=bank_officer&pageSize=200').then((r) => r.items),
    api<List<typeof branchList[number]>>('GET', `/api/banks/${me.user.bankId}/branches`).then((r) => r.items),
  ]);
}


async function loadList() {
  const q = tab === 'mine' ? '?mine=true&pageSize=100' : tab === 'new' ? '?status=new&pageSize=100' : '?pageSize=100';
  const res = await api<List<LeadSummary>>('GET', `/api/leads${q}`);
  // Overdue first, then new leads (they wait on the bank), then the newest.
  leads = res.items.sort((a, b) => Number(!!b.overdue) - Number(!!a.overdue) || Number(b.status === 'new') - Number(a.status === 'new') || b.createdAt.localeCompare(a.createdAt));
  $('#count').textContent = t('bank.count', { n: String(res.total) });
  $('#lead-list').replaceChildren(...leads.map((l) => {
    const b = h('button', { type: 'button', 'data-lead-id': String(l.id), 'aria-current': l.id === selected ? 'true' : false },
      h('strong', {}, l.company.name),
      h('span', { class: 'meta' }, `${l.productName} · ${moneyAmount(l.need.amount)} · ${statusText(l.status)}${l.open ? ` · ${t('bank.open')}` : ''}`),
      h('span', { class: 'meta' }, when(l.createdAt), l.overdue ? h('strong', { class: 'overdue' }, ` · ${t(`bank.overdue.${l.overdue}` as StringKey)}`) : ''));
    b.addEventListener('click', () => void select(l.id));
    return h('li', {}, b);
  }));
}

function form(name: string, fields: HTMLElement[], submit: (data: FormData) => Promise<unknown>): HTMLFormElement {
  const f = h('form', { 'data-form': name, novalidate: true }, ...fields, h('button', { type: 'submit', class: 'primary' }, t(`bank.action.${name}` as StringKey)));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    $('#error').hidden = true;
    try {
      await submit(new FormData(f));
      await loadList();
      await select(selected!);
    } catch (err) {
      showError(err);
    }
  });
  return f;
}

const field = (labelKey: StringKey, input: HTMLElement) => h('div', { class: 'field' }, h('label', {}, t(labelKey)), input);

function actions(l: LeadDetail): HTMLElement {
  const box = h('div', { class: 'action-box' });
  const post = (path: string, body: object = {}) => api('POST', `/api/leads/${l.id}/${path}`, body);
  if (l.status === 'new') box.append(form('claim', [], () => post('claim')));
  if (l.status === 'claimed') box.append(form('contact', [field('bank.note', h('input', { name: 'note', maxlength: '1000' }))], (d) => post('contact', { note: String(d.get('note') ?? '') })));
  if (l.status === 'contacted') {
    box.append(form('approve', [
      field('bank.amount', h('input', { name: 'amount', type: 'number', step: '0.01', required: true, value: String(l.need.amount / WAN) })),
      field('bank.rate', h('input', { name: 'ratePct', type: 'number', step: '0.01', min: '1', max: '24', required: true })),
      field('bank.term', h('input', { name: 'termMonths', type: 'number', step: '1', required: true, value: String(l.need.termMonths) })),
      field('bank.guarantee', h('select', { name: 'guaranteeType' }, ...['credit', 'guarantee', 'mortgage', 'pledge'].map((g) => h('option', { value: g }, label('guarantee', g))))),
    ], (d) => post('decision', {
      outcome: 'approved', amount: Math.round(Number(d.get('amount')) * WAN), ratePct: d.get('ratePct') ? Number(d.get('ratePct')) : undefined,
      termMonths: Number(d.get('termMonths')), guaranteeType: String(d.get('guaranteeType')),
    })));
  }
  if (l.status === 'claimed' || l.status === 'contacted') {
    box.append(form('decline', [
      field('bank.reason', h('select', { name: 'reasonCode' }, ...declineReasons.map((r) => h('option', { value: r }, t(`decline.${r}` as StringKey))))),
      field('bank.note', h('input', { name: 'note', maxlength: '1000' })),
    ], (d) => post('decision', { outcome: 'declined', reasonCode: String(d.get('reasonCode')), note: String(d.get('note') ?? '') })));
  }
  if (l.status === 'approved') {
    box.append(form('disburse', [
      field('bank.amount', h('input', { name: 'amount', type: 'number', step: '0.01', required: true, value: String((l.terms?.amount ?? 0) / WAN) })),
      field('bank.disbursedOn', h('input', { name: 'disbursedOn', type: 'date', required: true, value: new Date().toISOString().slice(0, 10) })),
    ], (d) => post('disburse', { amount: Math.round(Number(d.get('amount')) * WAN), disbursedOn: String(d.get('disbursedOn')) })));
  }
  if (me.user.role === 'bank_admin' && ['new', 'claimed', 'contacted'].includes(l.status)) {
    box.append(form('assign', [field('bank.officers', h('select', { name: 'officerId' }, ...officers.filter((o) => o.active).map((o) => h('option', { value: String(o.id), selected: o.id === l.officerId }, `${o.name ?? o.username}${o.branchId ? ` · ${branchName(o.branchId)}` : ''}`))))],
      (d) => post('assign', { officerId: Number(d.get('officerId')) })));
  }
  if (['claimed', 'contacted', 'approved', 'declined'].includes(l.status) && l.firstLoanConfirmed === null) {
    box.append(form('firstLoanYes', [], () => post('first-loan', { isFirstLoan: true })), form('firstLoanNo', [], () => post('first-loan', { isFirstLoan: false })));
  }
  return box;
}

async function select(id: number) {
  selected = id;
  document.querySelectorAll('[data-lead-id]').forEach((b) => b.setAttribute('aria-current', String(Number((b as HTMLElement).dataset.leadId) === id)));
  let l: LeadDetail;
  try {
    l = await api<LeadDetail>('GET', `/api/leads/${id}`);
  } catch (err) {
    showError(err);
    return;
  }
  const dl = (pairs: [StringKey, string][]) => h('dl', {}, ...pairs.flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
  $('#detail').replaceChildren(
    h('h2', {}, l.company.name),
    h('p', {}, h('span', { class: 'status-chip', 'data-status': l.status }, statusText(l.status)), l.isFirstLoan ? ` · ${t('bank.firstLoan')}` : '', l.open ? ` · ${t('bank.open')}` : ''),
    dl([
      ['bank.product', l.productName],
      ['bank.need', `${moneyAmount(l.need.amount)} · ${t('apply.months', { n: String(l.need.termMonths) })}${l.need.purpose ? ` · ${l.need.purpose}` : ''}`],
      ['bank.company', `${label('district', l.company.district)} · ${l.company.industry}`],
      ['bank.contact', `${l.contact.name} ${l.contact.phone}${l.contact.masked ? ` ${t('bank.masked')}` : ''}`],
    ]),
    l.terms ? h('p', {}, t('track.terms', { amount: moneyAmount(l.terms.amount), rate: l.terms.ratePct.toFixed(2), months: String(l.terms.termMonths) })) : '',
    h('h3', {}, t('bank.history')),
    h('ul', { class: 'timeline', id: 'history' }, ...l.events.map((e) => h('li', {}, `${when(e.at)} · ${eventText(e.action)}${e.toStatus && e.toStatus !== e.fromStatus ? ` → ${statusText(e.toStatus)}` : ''}${e.note ? ` · ${e.note}` : ''}`))),
    actions(l));
}

/** Drafts (in review, or returned by the desk with its comment) first, then what is live. */
async function loadProducts() {
  const [drafts, live] = await Promise.all(['draft', 'published'].map((status) => api<List<OwnProduct>>('GET', `/api/products?status=${status}&bankId=${me.user.bankId}&pageSize=200`)));
  const items = [...drafts!.items, ...live!.items];
  $('#product-list').replaceChildren(...(items.length ? items.map((p) => h('li', { 'data-product': String(p.id) },
    h('strong', {}, p.name), ` · ${p.code} · ${t('bank.products.version', { n: String(p.version) })} · `,
    h('span', { class: 'status-chip', 'data-status': p.status }, t(`bank.products.status.${p.review && !p.review.resubmitted ? 'returned' : p.status}` as StringKey)),
    p.review ? h('p', { class: 'alert info', 'data-review': p.review.resubmitted ? 'resubmitted' : 'returned' },
      t(p.review.resubmitted ? 'bank.products.resubmitted' : 'bank.products.returned', { comment: p.review.comment, at: when(p.review.at) })) : ''))
    : [h('li', { class: 'muted' }, t('bank.products.empty'))]));
}

function renderOfficers() {
  $('#officers').replaceChildren(...officers.map((o) => {
    const toggle = h('button', { type: 'button', class: 'link', 'data-officer': String(o.id) }, t(o.active ? 'bank.officer.deactivate' : 'bank.officer.activate'));
    toggle.addEventListener('click', () => void api('PATCH', `/api/users/${o.id}`, { active: !o.active }).then(loadBankData).then(renderSettings, showError));
    return h('li', {}, `${o.name ?? o.username} (${o.username}) · ${branchName(o.branchId)}${o.active ? '' : ` · ${t('bank.officer.inactive')}`} `, toggle);
  }));
  const branchSelect = () => h('select', { name: 'branchId' }, h('option', { value: '' }, t('bank.officer.none')), ...branchList.map((b) => h('option', { value: String(b.id) }, b.name)));
  const f = h('form', { novalidate: true, 'data-form': 'officer' },
    h('h3', {}, t('bank.officer.new')),
    field('bank.officer.username', h('input', { name: 'username', required: true, autocapitalize: 'none' })),
    field('bank.officer.name', h('input', { name: 'name' })),
    field('bank.officer.password', h('input', { name: 'password', type: 'password', required: true, autocomplete: 'new-password' })),
    field('bank.officer.branch', branchSelect()),
    h('button', { type: 'submit', class: 'primary' }, t('bank.action.create')));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = new FormData(f);
    const branchId = String(d.get('branchId') ?? '');
    void api('POST', '/api/users', { username: String(d.get('username')), name: String(d.get('name') ?? '') || undefined, password: String(d.get('password')), role: 'bank_officer', ...(branchId ? { branchId: Number(branchId) } : {}) })
      .then(loadBankData).then(renderSettings, showError);
  });
  $('#officer-form').replaceChildren(f);
}

async function renderRouting() {
  const routing = await api<{ defaultBranchId: number | null; rules: { district: string; branchId: number }[]; dispatch: { branchId: number; mode: string }[] }>('GET', `/api/banks/${me.user.bankId}/routing`);
  const options = (selectedId: number | null | undefined) => [h('option', { value: '' }, '—'), ...branchList.map((b) => h('option', { value: String(b.id), selected: b.id === selectedId }, b.name))];
  const districts = codesOf('district');
  const f = h('form', { novalidate: true, 'data-form': 'routing' },
    field('bank.routing.default', h('select', { name: 'defaultBranchId' }, ...options(routing.defaultBranchId))),
    ...districts.map((d) => h('div', { class: 'field' }, h('label', {}, t('bank.routing.district', { district: label('district', d) })),
      h('select', { name: `rule-${d}` }, ...options(routing.rules.find((r) => r.district === d)?.branchId)))),
    ...routing.dispatch.map((x) => h('div', { class: 'field' }, h('label', {}, t('bank.routing.mode', { branch: branchName(x.branchId) })),
      h('select', { name: `mode-${x.branchId}` }, ...['queue', 'round_robin'].map((m) => h('option', { value: m, selected: m === x.mode }, t(`bank.routing.${m}` as StringKey)))))),
    h('button', { type: 'submit', class: 'primary' }, t('bank.action.saveRouting')));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = new FormData(f);
    const def = String(d.get('defaultBranchId') ?? '');
    void api('PUT', `/api/banks/${me.user.bankId}/routing`, {
      defaultBranchId: def ? Number(def) : null,
      rules: districts.filter((k) => d.get(`rule-${k}`)).map((k) => ({ district: k, branchId: Number(d.get(`rule-${k}`)) })),
      dispatch: routing.dispatch.map((x) => ({ branchId: x.branchId, mode: String(d.get(`mode-${x.branchId}`)) })),
    }).then(() => renderRouting(), showError);
  });
  $('#routing-form').replaceChildren(f);
}

async function renderSettings() {
  renderOfficers();
  await renderRouting();
  await loadSettings();
}

async function loadSettings() {
  const hook = await api<{ url: string | null }>('GET', `/api/banks/${me.user.bankId}/webhook`);
  ($('#webhook-url') as HTMLInputElement).value = hook.url ?? '';
  const log = await api<List<{ deliveryId: string; event: string; state: string; attempts: number; createdAt: string; lastError: string | null }>>('GET', `/api/banks/${me.user.bankId}/webhook/deliveries?pageSize=20`);
  $('#deliveries').replaceChildren(...log.items.map((d) => {
    const li = h('li', {}, `${when(d.createdAt)} · ${d.event} · ${d.state} · ${d.attempts}${d.lastError ? ` · ${d.lastError}` : ''} `);
    if (d.state !== 'pending') {
      const again = h('button', { type: 'button', class: 'link' }, t('bank.webhook.redeliver'));
      again.addEventListener('click', () => void api('POST', `/api/banks/${me.user.bankId}/webhook/deliveries/${d.deliveryId}/redeliver`).then(loadSettings, showError));
      li.append(again);
    }
    return li;
  }));
}

async function show(next: string) {
  tab = next;
  document.querySelectorAll<HTMLButtonElement>('[data-tab]').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === tab)));
  $('#leads-view').hidden = tab === 'settings' || tab === 'products';
  $('#settings-view').hidden = tab !== 'settings';
  $('#products-view').hidden = tab !== 'products';
  try {
    if (tab === 'settings') await renderSettings();
    else if (tab === 'products') await loadProducts();
    else await loadList();
  } catch (err) {
    showError(err);
  }
}

async function main() {
  const who = await mountFrame();
  if (!who) return;
  me = who;
  if (me.user.role === 'bank_admin') document.querySelectorAll<HTMLElement>('[data-admin-only]').forEach((e) => (e.hidden = false));
  await loadBankData().catch(showError);
  document.querySelectorAll<HTMLButtonElement>('[data-tab]').forEach((b) => b.addEventListener('click', () => void show(b.dataset.tab!)));
  ($('#webhook-form') as HTMLFormElement).addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(e.target as HTMLFormElement);
    const url = String(d.get('url') ?? '').trim();
    await api('PUT', `/api/banks/${me.user.bankId}/webhook`, url ? { url, secret: String(d.get('secret') ?? '') } : { url: null }).then(loadSettings, showError);
  });
  document.addEventListener('openlead', (e) => void select((e as CustomEvent<number>).detail));
  document.addEventListener('langchange', () => void show(tab).then(() => (selected === undefined ? undefined : select(selected))));
  await show('new');
}

void main();
