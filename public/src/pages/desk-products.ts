import { api } from '../api';
import { $, h } from '../dom';
import { mountFrame, showStaffError as showError, staffAction } from '../frame';
import { t, when } from '../i18n';
import { label, moneyAmount } from '../labels';
import type { StringKey } from '../strings';
import type { ProductFields } from '../../../models/products';

// Drafts waiting for the desk: each beside the version now live (if any), changed fields marked; publish in one click.

/** A product version as the API answers it: the registry's fields plus where it stands. */
interface Product extends ProductFields {
  id: number;
  bankId: number;
  bankName: string;
  code: string;
  version: number;
  status: string;
  updatedAt: string;
}

const fields: [StringKey, (p: Product) => string][] = [
  ['desk.products.f.name', (p) => p.name],
  ['desk.products.f.type', (p) => label('type', p.type)],
  ['desk.products.f.amount', (p) => `${moneyAmount(p.amount.min)} – ${moneyAmount(p.amount.max)}`],
  ['desk.products.f.term', (p) => `${p.termMonths.min} – ${p.termMonths.max}`],
  ['desk.products.f.rate', (p) => `${p.rate.min.toFixed(2)}% – ${p.rate.max.toFixed(2)}%`],
  ['desk.products.f.repayment', (p) => p.repaymentMethods.map((m) => label('repay', m)).join('、')],
  ['desk.products.f.guarantee', (p) => p.guaranteeTypes.map((g) => label('guarantee', g)).join('、')],
  ['desk.products.f.days', (p) => String(p.approvalDays)],
  ['desk.products.f.firstLoan', (p) => t(p.firstLoanFriendly ? 'desk.products.yes' : 'desk.products.no')],
  ['desk.products.f.criteria', (p) => JSON.stringify(p.criteria)],
  ['desk.products.f.description', (p) => p.description],
  ['desk.products.f.materials', (p) => p.materials.join('、')],
];

let drafts: { draft: Product; live: Product | undefined }[] = [];

function card({ draft, live }: { draft: Product; live: Product | undefined }): HTMLElement {
  const rows = fields.map(([name, show]) => {
    const now = live ? show(live) : '—';
    const next = show(draft);
    const changed = !live || now !== next;
    return h('tr', changed && live ? { class: 'changed', 'data-changed': '' } : {}, h('th', { scope: 'row' }, t(name)), h('td', {}, now), h('td', {}, next));
  });
  const publish = h('button', { type: 'button', class: 'primary', 'data-publish': String(draft.id) }, t('desk.products.publish'));
  publish.addEventListener('click', () => void staffAction(() => api('POST', `/api/products/${draft.id}/publish`), load));
  const changes = live ? rows.filter((r) => r.dataset.changed !== undefined).length : fields.length;
  return h('article', { class: 'card', 'data-draft': String(draft.id) },
    h('h2', {}, `${draft.bankName} · ${draft.name}`),
    h('p', { class: 'muted' }, live
      ? t('desk.products.edit', { code: draft.code, from: String(live.version), to: String(draft.version), n: String(changes), at: when(draft.updatedAt) })
      : t('desk.products.new', { code: draft.code, at: when(draft.updatedAt) })),
    h('div', { class: 'table-scroll' }, h('table', { class: 'data-table diff' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { scope: 'col' }, t('desk.products.live')), h('th', { scope: 'col' }, t('desk.products.draft')))),
      h('tbody', {}, ...rows))),
    h('div', { class: 'actions-row wrap' }, publish));
}

function render() {
  $('#draft-count').textContent = t('desk.products.count', { n: String(drafts.length) });
  $('#drafts').replaceChildren(...(drafts.length ? drafts.map(card) : [h('p', { class: 'muted' }, t('desk.products.empty'))]));
}

async function load() {
  try {
    const list = (await api<{ items: Product[] }>('GET', '/api/products?status=draft&pageSize=100')).items;
    const banks = [...new Set(list.map((d) => d.bankId))];
    const live = (await Promise.all(banks.map((b) => api<{ items: Product[] }>('GET', `/api/products?status=published&bankId=${b}&pageSize=100`)))).flatMap((r) => r.items);
    drafts = list.map((draft) => ({ draft, live: live.find((p) => p.bankId === draft.bankId && p.code === draft.code) }));
    render();
  } catch (err) {
    showError(err);
  }
}

async function main() {
  if (!(await mountFrame())) return;
  document.addEventListener('langchange', render);
  await load();
}

void main();
