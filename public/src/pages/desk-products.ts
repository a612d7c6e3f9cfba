import type { ProductAnswer, ProductReview } from '../api-types';
import { api, ApiError } from '../api';
import { $, h } from '../dom';
import { mountFrame, showStaffError as showError, staffAction } from '../frame';
import { t, when, type StringKey } from '../i18n';
import { label, moneyAmount } from '../labels';
import '../strings/desk';

// Drafts waiting for the desk: each beside the version now live (if any), changed fields marked; publish in one
// click, or return it to its bank with a comment. A returned draft waits on its bank until the bank edits it
// (then it is back, marked resubmitted); each card shows the product's review history.

type Product = ProductAnswer;
type Review = ProductReview;

interface Entry {
  draft: Product;
  live: Product | undefined;
  history: Review[];
}

/** Returned to its bank and not changed since: nothing for the desk to do until the bank sends it again. */
const waitingOnBank = (p: Product) => p.review !== null && !p.review.resubmitted;

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

let drafts: Entry[] = [];

function reviewNote(p: Product): HTMLElement | string {
  if (!p.review) return '';
  const vars = { comment: p.review.comment ?? '', at: when(p.review.at), sent: when(p.updatedAt) };
  return p.review.resubmitted
    ? h('p', { class: 'alert info', 'data-review': 'resubmitted' }, t('desk.products.resubmitted', vars))
    : h('p', { class: 'alert info', 'data-review': 'returned' }, t('desk.products.returned', vars));
}

/**
 * Publishes or returns the draft as the desk saw it (its updatedAt goes along); when the bank has changed it
 * since, nothing is done, the banner says so, and the reload shows the current version to review.
 */
function review(draft: Product, action: 'publish' | 'return', body: Record<string, unknown> = {}): void {
  void staffAction(async () => {
    try {
      await api('POST', `/api/products/${draft.id}/${action}`, { ...body, expectedUpdatedAt: draft.updatedAt });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'draft_changed') throw new ApiError(err.status, err.code, { ...err.problem, detail: t('desk.products.changed') });
      throw err;
    }
  }, load);
}

/** The comment box and its button; a return without a comment is refused here before the server would. */
function returnForm(draft: Product): HTMLElement {
  const id = `return-comment-${draft.id}`;
  const box = h('textarea', { id, name: 'comment', rows: '2', maxlength: '500', required: true, 'aria-describedby': `${id}-error` });
  const missing = h('p', { class: 'field-error', id: `${id}-error`, hidden: true }, t('desk.products.commentRequired'));
  const f = h('form', { 'data-return': String(draft.id), novalidate: true },
    h('div', { class: 'field' }, h('label', { for: id }, t('desk.products.comment')), box, missing),
    h('button', { type: 'submit' }, t('desk.products.return')));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const comment = box.value.trim();
    missing.hidden = comment !== '';
    if (!comment) {
      box.setAttribute('aria-invalid', 'true');
      box.focus();
      return;
    }
    review(draft, 'return', { comment });
  });
  return f;
}

function historyList(history: Review[]): HTMLElement {
  return h('details', { class: 'review-history' },
    h('summary', {}, t('desk.products.history', { n: String(history.length) })),
    history.length
      ? h('ul', { class: 'timeline' }, ...history.map((r) => h('li', { 'data-review-action': r.action }, t('desk.products.historyItem', {
        at: when(r.at), version: String(r.version), action: t(`desk.products.h.${r.action}` as StringKey), actor: r.actor?.name ?? '—',
      }), r.comment ? ` · ${r.comment}` : '')))
      : h('p', { class: 'muted' }, t('desk.products.historyEmpty')));
}

function card({ draft, live, history }: Entry): HTMLElement {
  const rows = fields.map(([name, show]) => {
    const now = live ? show(live) : '—';
    const next = show(draft);
    const changed = !live || now !== next;
    return h('tr', changed && live ? { class: 'changed', 'data-changed': '' } : {}, h('th', { scope: 'row' }, t(name)), h('td', {}, now), h('td', {}, next));
  });
  const publish = h('button', { type: 'button', class: 'primary', 'data-publish': String(draft.id) }, t('desk.products.publish'));
  publish.addEventListener('click', () => review(draft, 'publish'));
  const changes = live ? rows.filter((r) => r.dataset.changed !== undefined).length : fields.length;
  return h('article', { class: 'card', 'data-draft': String(draft.id) },
    h('h2', {}, `${draft.bankName} · ${draft.name}`),
    h('p', { class: 'muted' }, live
      ? t('desk.products.edit', { code: draft.code, from: String(live.version), to: String(draft.version), n: String(changes), at: when(draft.updatedAt) })
      : t('desk.products.new', { code: draft.code, at: when(draft.updatedAt) })),
    h('div', { class: 'table-scroll' }, h('table', { class: 'data-table diff' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { scope: 'col' }, t('desk.products.live')), h('th', { scope: 'col' }, t('desk.products.draft')))),
      h('tbody', {}, ...rows))),
    reviewNote(draft),
    h('div', { class: 'actions-row wrap' }, publish),
    waitingOnBank(draft) ? '' : returnForm(draft),
    historyList(history));
}

function render() {
  const returned = drafts.filter((d) => waitingOnBank(d.draft)).length;
  $('#draft-count').textContent = t('desk.products.count', { n: String(drafts.length - returned) }) + (returned ? t('desk.products.countReturned', { n: String(returned) }) : '');
  $('#drafts').replaceChildren(...(drafts.length ? drafts.map(card) : [h('p', { class: 'muted' }, t('desk.products.empty'))]));
}

async function load() {
  try {
    const list = (await api<{ items: Product[] }>('GET', '/api/products?status=draft&pageSize=100')).items;
    const banks = [...new Set(list.map((d) => d.bankId))];
    const live = (await Promise.all(banks.map((b) => api<{ items: Product[] }>('GET', `/api/products?status=published&bankId=${b}&pageSize=100`)))).flatMap((r) => r.items);
    const histories = await Promise.all(list.map((d) => api<{ items: Review[] }>('GET', `/api/products/${d.id}/reviews?pageSize=50`).then((r) => r.items)));
    drafts = list.map((draft, i) => ({ draft, live: live.find((p) => p.bankId === draft.bankId && p.code === draft.code), history: histories[i]! }))
      // What waits on the desk first; drafts returned to their banks last.
      .sort((a, b) => Number(waitingOnBank(a.draft)) - Number(waitingOnBank(b.draft)));
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
