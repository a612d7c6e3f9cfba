import type { BankAnswer } from '../api-types';
import { api } from '../api';
import { $, h } from '../dom';
import { mountI18n, t } from '../i18n';
import { codesOf, label, moneyRange, monthsRange, rateRange, spreadRange } from '../labels';
import { conditionsOf, factsOf, type Product } from '../product-view';
import '../strings/catalogue';

interface List<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

const PAGE_SIZE = 12;
const MAX_COMPARE = 3;

const state = {
  products: [] as Product[],
  total: 0,
  page: 1,
  banks: [] as BankAnswer[],
  compare: new Map<number, Product>(),
};

const form = () => $('#filters') as HTMLFormElement;

/** The API query for the form's filters (amount is entered in 万元). */
function query(page: number): URLSearchParams {
  const data = new FormData(form());
  const q = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
  for (const key of ['type', 'bankId', 'district', 'q']) {
    const v = String(data.get(key) ?? '').trim();
    if (v) q.set(key, v);
  }
  const wan = Number(String(data.get('amount') ?? '').trim());
  if (wan > 0) q.set('amount', String(Math.round(wan * 10_000)));
  return q;
}

/** Keeps the filters in the address so a filtered list can be shared or reloaded. */
function syncAddress() {
  const data = new FormData(form());
  const q = new URLSearchParams();
  for (const [k, v] of data.entries()) if (String(v).trim()) q.set(k, String(v));
  history.replaceState(null, '', q.size ? `/?${q}` : '/');
}

function restoreFromAddress() {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of q.entries()) {
    const field = form().elements.namedItem(k) as HTMLInputElement | HTMLSelectElement | null;
    if (field) field.value = v;
  }
}

function fillSelects() {
  const keep = (sel: HTMLSelectElement, options: [string, string][], allKey: Parameters<typeof t>[0]) => {
    const value = sel.value;
    sel.replaceChildren(h('option', { value: '' }, t(allKey)), ...options.map(([v, text]) => h('option', { value: v }, text)));
    sel.value = value;
  };
  keep($('#f-type') as HTMLSelectElement, codesOf('type').map((c) => [c, label('type', c)]), 'cat.filter.allTypes');
  keep($('#f-district') as HTMLSelectElement, codesOf('district').map((c) => [c, label('district', c)]), 'cat.filter.allDistricts');
  keep($('#f-bank') as HTMLSelectElement, state.banks.map((b) => [String(b.id), b.shortName]), 'cat.filter.allBanks');
}

function card(p: Product): HTMLElement {
  const conditions = conditionsOf(p);
  const checkbox = h('input', { type: 'checkbox', 'data-compare': String(p.id), checked: state.compare.has(p.id) });
  checkbox.addEventListener('change', () => toggleCompare(p, checkbox));
  return h('article', { class: 'card product', 'data-product-id': String(p.id) },
    h('header', { class: 'product-head' },
      h('h3', {}, p.name),
      h('span', { class: 'bank' }, p.bankShortName)),
    h('div', { class: 'tags' },
      h('span', { class: 'tag' }, label('type', p.type)),
      p.firstLoanFriendly ? h('span', { class: 'tag first' }, t('cat.firstLoan')) : null),
    factsOf(p),
    h('details', {},
      h('summary', {}, t('cat.details')),
      h('p', {}, p.description),
      h('h4', {}, t('cat.conditions')),
      conditions.length ? h('ul', {}, ...conditions.map((c) => h('li', {}, c))) : h('p', { class: 'muted' }, t('cat.noConditions')),
      h('h4', {}, t('cat.repay')),
      h('p', {}, p.repaymentMethods.map((r) => label('repay', r)).join(' / ')),
      p.materials.length ? h('h4', {}, t('cat.materials')) : null,
      p.materials.length ? h('ul', {}, ...p.materials.map((m) => h('li', {}, m))) : null),
    h('div', { class: 'card-actions' },
      h('label', { class: 'compare-toggle' }, checkbox, ' ', t('cat.compare.add')),
      // Opens the application with this product ticked once the match finds the company eligible for it.
      h('a', { class: 'button primary', href: `/apply?p=${p.id}`, 'data-apply': String(p.id) }, t('cat.apply'))));
}

function renderList() {
  const list = $('#products');
  list.replaceChildren(...state.products.map(card));
  $('#result-count').textContent = t('cat.count', { n: String(state.total) });
  $('#empty').hidden = state.total > 0;
  $('#more').hidden = state.products.length >= state.total;
}

function toggleCompare(p: Product, box: HTMLInputElement) {
  const note = $('#compare-note');
  note.hidden = true;
  if (box.checked) {
    if (state.compare.size >= MAX_COMPARE) {
      box.checked = false;
      note.textContent = t('cat.compare.max');
      note.hidden = false;
      return;
    }
    state.compare.set(p.id, p);
  } else {
    state.compare.delete(p.id);
  }
  renderCompareBar();
}

function renderCompareBar() {
  $('#compare-bar').hidden = state.compare.size === 0;
  $('#compare-count').textContent = t('cat.compare.bar', { n: String(state.compare.size) });
  ($('#compare-open') as HTMLButtonElement).disabled = state.compare.size < 2;
}

function renderCompare() {
  const items = [...state.compare.values()];
  const row = (head: string, cells: (Node | string)[]) => h('tr', {}, h('th', { scope: 'row' }, head), ...cells.map((c) => h('td', {}, c)));
  const table = h('table', { class: 'compare-table' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), ...items.map((p) => h('th', { scope: 'col' }, p.name)))),
    h('tbody', {},
      row(t('cat.compare.bank'), items.map((p) => p.bankShortName)),
      row(t('cat.compare.type'), items.map((p) => label('type', p.type))),
      row(t('cat.amount'), items.map((p) => moneyRange(p.amount))),
      row(t('cat.term'), items.map((p) => monthsRange(p.termMonths))),
      row(t('cat.rate'), items.map((p) => h('span', {}, rateRange(p.rate), h('small', { class: 'spread' }, spreadRange(p.rateSpreadBp))))),
      row(t('cat.approval'), items.map((p) => t('cat.approvalDays', { n: String(p.approvalDays) }))),
      row(t('cat.guarantee'), items.map((p) => p.guaranteeTypes.map((g) => label('guarantee', g)).join(' / '))),
      row(t('cat.repay'), items.map((p) => p.repaymentMethods.map((r) => label('repay', r)).join(' / '))),
      row(t('cat.firstLoan'), items.map((p) => (p.firstLoanFriendly ? '✓' : '—'))),
      row(t('cat.conditions'), items.map((p) => {
        const c = conditionsOf(p);
        return c.length ? h('ul', {}, ...c.map((x) => h('li', {}, x))) : t('cat.noConditions');
      }))));
  $('#compare-table').replaceChildren(table);
}

async function load(reset: boolean) {
  const page = reset ? 1 : state.page + 1;
  $('#load-error').hidden = true;
  try {
    const res = await api<List<Product>>('GET', `/api/products?${query(page)}`);
    state.products = reset ? res.items : [...state.products, ...res.items];
    state.total = res.total;
    state.page = page;
    renderList();
  } catch {
    $('#load-error').hidden = false;
  }
}

async function main() {
  mountI18n();
  restoreFromAddress();
  try {
    state.banks = (await api<List<BankAnswer>>('GET', '/api/banks?pageSize=200')).items;
  } catch {
    state.banks = [];
  }
  fillSelects();
  restoreFromAddress();

  let timer: number | undefined;
  const refresh = () => {
    syncAddress();
    void load(true);
  };
  form().addEventListener('change', refresh);
  form().addEventListener('input', (e) => {
    if ((e.target as HTMLElement).matches('input[type=search], input[type=number]')) {
      clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    }
  });
  form().addEventListener('submit', (e) => {
    e.preventDefault();
    refresh();
  });
  form().addEventListener('reset', () => setTimeout(refresh));
  $('#more').addEventListener('click', () => void load(false));
  $('#compare-open').addEventListener('click', () => {
    renderCompare();
    ($('#compare') as HTMLDialogElement).showModal();
  });
  $('#compare-close').addEventListener('click', () => ($('#compare') as HTMLDialogElement).close());
  $('#compare-clear').addEventListener('click', () => {
    state.compare.clear();
    document.querySelectorAll<HTMLInputElement>('[data-compare]').forEach((b) => (b.checked = false));
    renderCompareBar();
  });
  document.addEventListener('langchange', () => {
    fillSelects();
    renderList();
    renderCompareBar();
    if (($('#compare') as HTMLDialogElement).open) renderCompare();
  });
  renderCompareBar();
  await load(true);
}

void main();
