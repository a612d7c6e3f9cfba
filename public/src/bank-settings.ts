import type { BranchAnswer, Paged, UserAnswer } from './api-types';
import { api } from './api';
import { $, h } from './dom';
import { t, when, type StringKey } from './i18n';
import { codesOf, label } from './labels';
import { field } from './bank-lead';
import { lt } from './lead-text';
import './strings/leads';

export type Officer = UserAnswer;
export type Branch = BranchAnswer;

/** What a bank admin manages: officers, routing rules, the webhook with its deliveries, the export. */
export interface SettingsContext {
  bankId: number;
  officers: () => Officer[];
  branches: () => Branch[];
  branchName: (id: number | null) => string;
  reloadBankData: () => Promise<void>;
  fail: (err: unknown) => void;
}

/** The bank's own products: drafts (in review, or returned by the desk with its comment) first, then what is live. */
export async function loadProducts(bankId: number) {
  type OwnProduct = { id: number; code: string; name: string; version: number; status: string; review: { comment: string; at: string; resubmitted: boolean } | null };
  const [drafts, live] = await Promise.all(['draft', 'published'].map((status) => api<Paged<OwnProduct>>('GET', `/api/products?status=${status}&bankId=${bankId}&pageSize=200`)));
  const items = [...drafts!.items, ...live!.items];
  $('#product-list').replaceChildren(...(items.length ? items.map((p) => h('li', { 'data-product': String(p.id) },
    h('strong', {}, p.name), ` · ${p.code} · ${t('bank.products.version', { n: String(p.version) })} · `,
    h('span', { class: 'status-chip', 'data-status': p.status }, t(`bank.products.status.${p.review && !p.review.resubmitted ? 'returned' : p.status}` as StringKey)),
    p.review ? h('p', { class: 'alert info', 'data-review': p.review.resubmitted ? 'resubmitted' : 'returned' },
      t(p.review.resubmitted ? 'bank.products.resubmitted' : 'bank.products.returned', { comment: p.review.comment, at: when(p.review.at) })) : ''))
    : [h('li', { class: 'muted' }, t('bank.products.empty'))]));
}

function renderOfficers(s: SettingsContext) {
  const rerender = () => s.reloadBankData().then(() => renderSettings(s), s.fail);
  $('#officers').replaceChildren(...s.officers().map((o) => {
    const toggle = h('button', { type: 'button', class: 'link', 'data-officer': String(o.id) }, t(o.active ? 'bank.officer.deactivate' : 'bank.officer.activate'));
    toggle.addEventListener('click', () => void api('PATCH', `/api/users/${o.id}`, { active: !o.active }).then(rerender, s.fail));
    return h('li', {}, `${o.name ?? o.username} (${o.username}) · ${s.branchName(o.branchId)}${o.active ? '' : ` · ${t('bank.officer.inactive')}`} `, toggle);
  }));
  const branchSelect = () => h('select', { name: 'branchId' }, h('option', { value: '' }, t('bank.officer.none')), ...s.branches().map((b) => h('option', { value: String(b.id) }, b.name)));
  const f = h('form', { novalidate: true, 'data-form': 'officer' },
    h('h3', {}, t('bank.officer.new')),
    field(t('bank.officer.username'), h('input', { name: 'username', required: true, autocapitalize: 'none', autocomplete: 'off' })),
    field(t('bank.officer.name'), h('input', { name: 'name' })),
    field(t('bank.officer.password'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'new-password' })),
    field(t('bank.officer.branch'), branchSelect()),
    h('button', { type: 'submit', class: 'primary' }, t('bank.action.create')));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = new FormData(f);
    const branchId = String(d.get('branchId') ?? '');
    void api('POST', '/api/users', { username: String(d.get('username')), name: String(d.get('name') ?? '') || undefined, password: String(d.get('password')), role: 'bank_officer', ...(branchId ? { branchId: Number(branchId) } : {}) })
      .then(rerender, s.fail);
  });
  $('#officer-form').replaceChildren(f);
}

async function renderRouting(s: SettingsContext) {
  const routing = await api<{ defaultBranchId: number | null; rules: { district: string; branchId: number }[]; dispatch: { branchId: number; mode: string }[] }>('GET', `/api/banks/${s.bankId}/routing`);
  const options = (selectedId: number | null | undefined) => [h('option', { value: '' }, '—'), ...s.branches().map((b) => h('option', { value: String(b.id), selected: b.id === selectedId }, b.name))];
  const districts = codesOf('district');
  const f = h('form', { novalidate: true, 'data-form': 'routing' },
    field(t('bank.routing.default'), h('select', { name: 'defaultBranchId' }, ...options(routing.defaultBranchId))),
    ...districts.map((d) => field(t('bank.routing.district', { district: label('district', d) }), h('select', { name: `rule-${d}` }, ...options(routing.rules.find((r) => r.district === d)?.branchId)))),
    ...routing.dispatch.map((x) => field(t('bank.routing.mode', { branch: s.branchName(x.branchId) }),
      h('select', { name: `mode-${x.branchId}` }, ...['queue', 'round_robin'].map((m) => h('option', { value: m, selected: m === x.mode }, t(`bank.routing.${m}` as StringKey)))))),
    h('button', { type: 'submit', class: 'primary' }, t('bank.action.saveRouting')));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = new FormData(f);
    const def = String(d.get('defaultBranchId') ?? '');
    void api('PUT', `/api/banks/${s.bankId}/routing`, {
      defaultBranchId: def ? Number(def) : null,
      rules: districts.filter((k) => d.get(`rule-${k}`)).map((k) => ({ district: k, branchId: Number(d.get(`rule-${k}`)) })),
      dispatch: routing.dispatch.map((x) => ({ branchId: x.branchId, mode: String(d.get(`mode-${x.branchId}`)) })),
    }).then(() => renderRouting(s), s.fail);
  });
  $('#routing-form').replaceChildren(f);
}

async function loadWebhook(s: SettingsContext) {
  const hook = await api<{ url: string | null }>('GET', `/api/banks/${s.bankId}/webhook`);
  ($('#webhook-url') as HTMLInputElement).value = hook.url ?? '';
  const log = await api<Paged<{ deliveryId: string; event: string; state: string; attempts: number; createdAt: string; lastError: string | null }>>('GET', `/api/banks/${s.bankId}/webhook/deliveries?pageSize=20`);
  $('#deliveries').replaceChildren(...log.items.map((d) => {
    const li = h('li', {}, `${when(d.createdAt)} · ${d.event} · ${d.state} · ${d.attempts}${d.lastError ? ` · ${d.lastError}` : ''} `);
    if (d.state !== 'pending') {
      const again = h('button', { type: 'button', class: 'link', 'aria-label': `${t('bank.webhook.redeliver')} ${d.event} ${when(d.createdAt)}` }, t('bank.webhook.redeliver'));
      again.addEventListener('click', () => void api('POST', `/api/banks/${s.bankId}/webhook/deliveries/${d.deliveryId}/redeliver`).then(() => loadWebhook(s), s.fail));
      li.append(again);
    }
    return li;
  }));
}

function renderExport() {
  $('#export').replaceChildren(h('h2', {}, lt('export.title')), h('p', { class: 'muted' }, lt('export.note')),
    h('div', { class: 'actions-row' },
      h('a', { class: 'button', href: '/api/leads/export?format=csv', download: true, 'data-export': 'csv' }, lt('export.csv')),
      h('a', { class: 'button', href: '/api/leads/export?format=xlsx', download: true, 'data-export': 'xlsx' }, lt('export.xlsx'))));
}

export async function renderSettings(s: SettingsContext) {
  renderOfficers(s);
  renderExport();
  await renderRouting(s);
  await loadWebhook(s);
}

/** Saves the webhook target (an empty address turns deliveries off). */
export function mountWebhookForm(s: SettingsContext) {
  ($('#webhook-form') as HTMLFormElement).addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(e.target as HTMLFormElement);
    const url = String(d.get('url') ?? '').trim();
    await api('PUT', `/api/banks/${s.bankId}/webhook`, url ? { url, secret: String(d.get('secret') ?? '') } : { url: null }).then(() => loadWebhook(s), s.fail);
  });
}
