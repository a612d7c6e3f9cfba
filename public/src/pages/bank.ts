import { api } from '../api';
import { $, h } from '../dom';
import { mountFrame, showStaffError as showError, type Me } from '../frame';
import { t, when, type StringKey } from '../i18n';
import { codesOf, label, moneyAmount } from '../labels';
import { lt, statusText } from '../lead-text';
import { renderLead, shortClock, type LeadDetail, type LeadSummary } from '../bank-lead';
import { loadProducts, mountWebhookForm, renderSettings, type Branch, type Officer, type SettingsContext } from '../bank-settings';
import '../strings/leads';

type View = 'mine' | 'claimable' | 'all';
/** The queue tabs (their data-tab names) and the view each asks for. */
type QueueTab = 'mine' | 'new' | 'all';
const viewOf: Record<QueueTab, View> = { mine: 'mine', new: 'claimable', all: 'all' };
interface Queue {
  items: LeadSummary[];
  total: number;
  page: number;
  pageSize: number;
  counts: Record<View, number>;
}

const PAGE_SIZE = 20;
const statuses = ['new', 'claimed', 'contacted', 'approved', 'declined', 'disbursed', 'withdrawn', 'expired'];
let me: Me;
let tab: QueueTab | 'products' | 'settings' = 'mine';
let page = 1;
let selected: number | undefined;
let officers: Officer[] = [];
let branchList: Branch[] = [];
const branchName = (id: number | null) => branchList.find((b) => b.id === id)?.name ?? t('bank.officer.none');

/** What a bank admin manages: the bank's officers and branches (for assignment and routing). */
async function loadBankData() {
  if (me.user.role !== 'bank_admin') return;
  [officers, branchList] = await Promise.all([
    api<{ items: Officer[] }>('GET', '/api/users?role=bank_officer&pageSize=200').then((r) => r.items),
    api<{ items: Branch[] }>('GET', `/api/banks/${me.user.bankId}/branches`).then((r) => r.items),
  ]);
}

const settings = (): SettingsContext => ({ bankId: me.user.bankId!, officers: () => officers, branches: () => branchList, branchName, reloadBankData: loadBankData, fail: showError });

/** The filters as a query string (status, overdue, district, product, first loan, search). */
function filterQuery(): string {
  const d = new FormData($('#filters') as HTMLFormElement);
  const q = new URLSearchParams();
  for (const k of ['status', 'district', 'firstLoan', 'q']) {
    const v = String(d.get(k) ?? '').trim();
    if (v) q.set(k, v);
  }
  if (d.get('overdue')) q.set('overdue', 'true');
  return q.toString();
}

function renderFilters() {
  const sel = (name: string, text: string, options: [string, string][]) => {
    const id = `filter-${name}`;
    return h('div', { class: 'field' }, h('label', { for: id }, text), h('select', { id, name }, h('option', { value: '' }, lt('f.any')), ...options.map(([v, l]) => h('option', { value: v }, l))));
  };
  const form = h('form', { id: 'filters', class: 'filters', role: 'search', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'filter-q' }, lt('q.label')), h('input', { id: 'filter-q', name: 'q', type: 'search', maxlength: '100' })),
    sel('status', lt('f.status'), statuses.map((s) => [s, statusText(s)])),
    sel('district', lt('f.district'), codesOf('district').map((c) => [c, label('district', c)])),
    sel('firstLoan', lt('f.firstLoan'), [['true', lt('f.yes')], ['false', lt('f.no')]]),
    h('div', { class: 'field check' }, h('input', { id: 'filter-overdue', name: 'overdue', type: 'checkbox', value: 'true' }), h('label', { for: 'filter-overdue' }, lt('f.overdue'))),
    h('button', { type: 'submit', class: 'secondary' }, lt('f.apply')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    page = 1;
    void loadList().catch(showError);
  });
  $('#filter-box').replaceChildren(form);
}

const tabName: Record<QueueTab, StringKey> = { mine: 'bank.tab.mine', new: 'bank.tab.new', all: 'bank.tab.all' };

/** The queue of the current tab, by next deadline (overdue first), with each tab's count. */
async function loadList() {
  const view = viewOf[tab as QueueTab];
  const filters = filterQuery();
  const res = await api<Queue>('GET', `/api/leads?view=${view}&page=${page}&pageSize=${PAGE_SIZE}${filters ? `&${filters}` : ''}`);
  for (const k of Object.keys(tabName) as QueueTab[]) {
    $(`[data-tab=${k}]`).textContent = lt('tab.count', { name: t(tabName[k]), n: String(res.counts[viewOf[k]]) });
  }
  $('#count').textContent = t('bank.count', { n: String(res.total) });
  $('#lead-list').replaceChildren(...res.items.map((l) => {
    const b = h('button', { type: 'button', 'data-lead-id': String(l.id), 'aria-current': l.id === selected ? 'true' : false },
      h('strong', {}, l.company.name),
      h('span', { class: 'meta' }, `${l.productName} · ${moneyAmount(l.need.amount)} · ${statusText(l.status)}${l.isFirstLoan ? ` · ${t('bank.firstLoan')}` : ''}${l.open ? ` · ${t('bank.open')}` : ''}`),
      h('span', { class: l.overdue ? 'meta overdue' : 'meta' }, l.clock ? shortClock(l.clock) : when(l.createdAt)));
    b.addEventListener('click', () => void select(l.id));
    return h('li', {}, b);
  }));
  const pages = Math.max(1, Math.ceil(res.total / PAGE_SIZE));
  const nav = (text: string, to: number, disabled: boolean) => {
    const b = h('button', { type: 'button', class: 'secondary', disabled }, text);
    b.addEventListener('click', () => { page = to; void loadList().catch(showError); });
    return b;
  };
  $('#paging').replaceChildren(...(pages > 1 ? [nav(lt('page.prev'), page - 1, page <= 1), h('span', { class: 'muted' }, lt('page.of', { page: String(page), pages: String(pages) })), nav(lt('page.next'), page + 1, page >= pages)] : []));
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
  $('#detail').replaceChildren(...renderLead(l, {
    role: me.user.role, officers, branchName, fail: showError,
    done: async () => {
      $('#error').hidden = true;
      if (tab !== 'products' && tab !== 'settings') await loadList();
      await select(id);
    },
  }));
  if (window.matchMedia('(max-width: 899px)').matches) $('#detail').scrollIntoView({ block: 'start' });
}

async function show(next: typeof tab) {
  tab = next;
  page = 1;
  document.querySelectorAll<HTMLButtonElement>('[data-tab]').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === tab)));
  $('#leads-view').hidden = tab === 'settings' || tab === 'products';
  $('#settings-view').hidden = tab !== 'settings';
  $('#products-view').hidden = tab !== 'products';
  try {
    if (tab === 'settings') await renderSettings(settings());
    else if (tab === 'products') await loadProducts(me.user.bankId!);
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
  renderFilters();
  document.querySelectorAll<HTMLButtonElement>('[data-tab]').forEach((b) => b.addEventListener('click', () => void show(b.dataset.tab as typeof tab)));
  mountWebhookForm(settings());
  document.addEventListener('openlead', (e) => void select((e as CustomEvent<number>).detail));
  document.addEventListener('langchange', () => {
    renderFilters();
    void show(tab).then(() => (selected === undefined ? undefined : select(selected)));
  });
  // An officer starts from what they hold; nothing held yet, from what waits to be accepted — unless they
  // already chose a tab while the first list loaded (a quick click on 设置 must not be undone).
  await show('mine');
  const mine = Number(/\d+/.exec($('[data-tab=mine]').textContent ?? '')?.[0] ?? 0);
  if (mine === 0 && tab === 'mine') await show('new');
}

void main();
