import { api } from '../api';
import { $, h } from '../dom';
import { showStaffError as showError, staffAction } from '../frame';
import { t, when } from '../i18n';
import { label, moneyAmount } from '../labels';
import '../strings/apply';
import '../strings/desk';

// The reassignment queue: leads handed back to the desk after no bank accepted them in time.

interface Candidate { product: { id: number; bankId: number; bankName: string; name: string }; score: number; consentOnFile: boolean }
interface QueueItem {
  id: number;
  bankName: string;
  productName: string;
  createdAt: string;
  escalatedAt: string;
  company: { name: string; district: string; industry: string };
  need: { amount: number; termMonths: number };
  offer: { id: number; bankName: string; productName: string; createdAt: string } | null;
  candidates: Candidate[];
}

let items: QueueItem[] = [];
let total = 0;

const act = (run: () => Promise<unknown>) => staffAction(run, loadQueue);

/** One handed-back lead: where it was, and one button per other bank (done at once with consent on file, else the applicant is asked). */
function card(item: QueueItem): HTMLElement {
  const head = [
    h('h3', {}, item.company.name),
    h('p', { class: 'muted' }, `#${item.id} · ${item.bankName} · ${item.productName}`),
    h('p', {}, `${moneyAmount(item.need.amount)} · ${t('apply.months', { n: String(item.need.termMonths) })} · ${label('district', item.company.district)}`),
    h('p', { class: 'muted' }, t('desk.queue.times', { created: when(item.createdAt), escalated: when(item.escalatedAt) })),
  ];
  if (item.offer) {
    const offer = item.offer;
    const cancel = h('button', { type: 'button', 'data-cancel-offer': String(offer.id) }, t('desk.queue.cancel'));
    cancel.addEventListener('click', () => void act(() => api('POST', `/api/reassignments/${offer.id}/cancel`)));
    return h('article', { class: 'card', 'data-queue-lead': String(item.id) }, ...head,
      h('p', { class: 'alert' }, t('desk.queue.waiting', { bank: offer.bankName, at: when(offer.createdAt) })), cancel);
  }
  const buttons = item.candidates.map((c) => {
    const b = h('button', { type: 'button', class: c.consentOnFile ? 'primary' : '', 'data-reassign-product': String(c.product.id) },
      t(c.consentOnFile ? 'desk.queue.handOver' : 'desk.queue.ask', { bank: c.product.bankName }));
    b.title = `${c.product.name} · ${t('desk.queue.score', { n: String(c.score) })}`;
    b.addEventListener('click', () => void act(() => api('POST', '/api/reassignments', { leadId: item.id, productId: c.product.id })));
    return b;
  });
  return h('article', { class: 'card', 'data-queue-lead': String(item.id) }, ...head,
    buttons.length ? h('div', { class: 'actions-row wrap' }, ...buttons) : h('p', { class: 'muted' }, t('desk.queue.noCandidates')));
}

export function renderQueue() {
  $('#queue-count').textContent = t('desk.queue.count', { n: String(total) });
  $('#queue').replaceChildren(...(items.length ? items.map(card) : [h('p', { class: 'muted' }, t('desk.queue.empty'))]));
}

export async function loadQueue() {
  try {
    const page = await api<{ items: QueueItem[]; total: number }>('GET', '/api/reassignments/queue?pageSize=50');
    items = page.items;
    total = page.total;
    renderQueue();
  } catch (err) {
    showError(err);
  }
}
