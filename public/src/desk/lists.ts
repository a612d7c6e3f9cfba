import { api } from '../api';
import { $, h } from '../dom';
import { showStaffError as showError } from '../frame';
import { t, when, type StringKey } from '../i18n';
import { label, moneyAmount } from '../labels';
import { eventText, statusText } from '../lead-text';
import '../strings/leads';
import '../strings/desk';

// Overdue and flagged (possible broker) leads, each opening its details in a dialog.

interface LeadSummary {
  id: number;
  bankName: string;
  productName: string | null;
  status: string;
  overdue: 'accept' | 'contact' | 'decision' | null;
  flaggedBroker?: boolean;
  company: { name: string; district: string };
  need: { amount: number };
  contact: { name: string; phone: string };
  createdAt: string;
}
interface LeadDetail extends LeadSummary {
  deadlines: { acceptDueAt: string | null; contactDueAt: string | null; decisionDueAt: string | null };
  events: { id: number; at: string; action: string; fromStatus: string | null; toStatus: string | null; note: string | null }[];
}

const LIMIT = 10;
const lists: Record<'overdue' | 'flagged', { items: LeadSummary[]; total: number }> = { overdue: { items: [], total: 0 }, flagged: { items: [], total: 0 } };

function row(l: LeadSummary): HTMLElement {
  const open = h('button', { type: 'button', 'data-open-lead': String(l.id) },
    h('strong', {}, l.company.name),
    h('span', { class: 'meta' }, `#${l.id} · ${l.bankName} · ${moneyAmount(l.need.amount)} · ${statusText(l.status)}${l.overdue ? ` · ${t(`bank.overdue.${l.overdue}` as StringKey)}` : ''}`),
    h('span', { class: 'meta' }, `${label('district', l.company.district)} · ${when(l.createdAt)}${l.flaggedBroker ? ` · ${l.contact.phone}` : ''}`));
  open.addEventListener('click', () => void openLead(l.id));
  return h('li', {}, open);
}

export function renderLists() {
  for (const [key, empty] of [['overdue', 'desk.overdue.empty'], ['flagged', 'desk.flagged.empty']] as const) {
    const { items, total } = lists[key];
    const more = total > items.length ? [h('li', { class: 'muted' }, t('desk.list.more', { n: String(total - items.length) }))] : [];
    $(`#${key}`).replaceChildren(...(items.length ? [...items.map(row), ...more] : [h('li', { class: 'muted' }, t(empty))]));
  }
}

export async function loadLists() {
  try {
    const [overdue, flagged] = await Promise.all([
      api<{ items: LeadSummary[]; total: number }>('GET', `/api/leads?overdue=true&pageSize=${LIMIT}`),
      api<{ items: LeadSummary[]; total: number }>('GET', `/api/leads?flagged=true&pageSize=${LIMIT}`),
    ]);
    lists.overdue = overdue;
    lists.flagged = flagged;
    renderLists();
  } catch (err) {
    showError(err);
  }
}

/** The lead's details and history in a dialog; the address (?lead=ID) makes it linkable. */
export async function openLead(id: number) {
  try {
    const l = await api<LeadDetail>('GET', `/api/leads/${id}`);
    const d = l.deadlines;
    $('#lead-detail').replaceChildren(
      h('h3', {}, l.company.name),
      h('p', { class: 'muted' }, `#${l.id} · ${l.bankName} · ${l.productName ?? ''} · ${statusText(l.status)}`),
      h('p', {}, `${moneyAmount(l.need.amount)} · ${label('district', l.company.district)}`),
      h('p', {}, `${t('desk.detail.contact')}: ${l.contact.name} ${l.contact.phone}`),
      h('p', { class: 'muted' }, t('desk.detail.deadlines', { accept: d.acceptDueAt ? when(d.acceptDueAt) : '—', contact: d.contactDueAt ? when(d.contactDueAt) : '—', decision: d.decisionDueAt ? when(d.decisionDueAt) : '—' })),
      h('ul', { class: 'timeline' }, ...l.events.map((e) => h('li', {}, `${when(e.at)} · ${eventText(e.action)}${e.toStatus && e.toStatus !== e.fromStatus ? ` → ${statusText(e.toStatus)}` : ''}${e.note ? ` · ${e.note}` : ''}`))),
    );
    const dialog = $('#lead-dialog') as HTMLDialogElement;
    if (!dialog.open) dialog.showModal();
    history.replaceState(null, '', `/desk?lead=${id}`);
    dialog.addEventListener('close', () => history.replaceState(null, '', '/desk'), { once: true });
  } catch (err) {
    showError(err);
  }
}
