import { api, ApiError } from '../api';
import { $, h } from '../dom';
import { mountI18n, t, when } from '../i18n';
import { label, moneyAmount, rateRange } from '../labels';
import type { StringKey } from '../strings';

interface Lead {
  id: number;
  bankId: number;
  bankName: string;
  productName: string;
  status: string;
  open: boolean;
  createdAt: string;
  claimedAt?: string;
  contactedAt?: string;
  decidedAt?: string;
  terms?: { amount: number; ratePct: number; termMonths: number; guaranteeType: string };
  applicantConfirmation?: 'confirmed' | 'disputed';
}
interface Tracking {
  reference: string;
  status: 'open' | 'withdrawn' | 'closed';
  mode: 'chosen' | 'open';
  createdAt: string;
  company: { name: string };
  contact: { name: string; phone: string };
  need: { amount: number; termMonths: number };
  leads: Lead[];
  canWithdraw: boolean;
  canSecondLook: boolean;
  offers: Offer[];
}
/** The desk proposes another bank because the first did not accept in time. */
interface Offer { id: number; leadId: number; bankId: number; bankName: string; productName: string; createdAt: string }
interface Option {
  product: { id: number; bankId: number; bankName: string; name: string; rate: { min: number; max: number } };
}

const token = decodeURIComponent(location.pathname.split('/').pop() ?? '');
const base = `/api/applications/track/${encodeURIComponent(token)}`;
let data: Tracking | undefined;

const good = new Set(['claimed', 'contacted', 'approved', 'disbursed']);

function showError(message: string) {
  $('#error').textContent = message;
  $('#error').hidden = false;
}

function leadCard(l: Lead): HTMLElement {
  const steps = [['track.submitted', l.createdAt], ['track.claimedAt', l.claimedAt], ['track.contactedAt', l.contactedAt], ['track.decidedAt', l.decidedAt]] as const;
  const card = h('article', { class: 'card result', 'data-lead-id': String(l.id), 'data-status': l.status },
    h('header', { class: 'product-head' }, h('h3', {}, l.bankName), h('span', { class: `status-chip ${good.has(l.status) ? 'good' : l.status === 'declined' ? 'bad' : ''}` }, t(`track.lead.${l.status}` as StringKey))),
    h('p', { class: 'muted' }, l.productName, l.open ? ` · ${t('track.open')}` : ''),
    h('ul', { class: 'timeline' }, ...steps.filter(([, at]) => at).map(([k, at]) => h('li', {}, `${t(k)} ${when(at!)}`))));
  if (l.terms) {
    card.append(h('p', {}, t('track.terms', { amount: moneyAmount(l.terms.amount), rate: l.terms.ratePct.toFixed(2), months: String(l.terms.termMonths) }), ` · ${label('guarantee', l.terms.guaranteeType)}`));
    if (l.applicantConfirmation) {
      card.append(h('p', { class: 'muted' }, t(l.applicantConfirmation === 'confirmed' ? 'track.confirmed' : 'track.disputed')));
    } else {
      const confirm = h('button', { type: 'button', class: 'primary' }, t('track.confirm'));
      const dispute = h('button', { type: 'button' }, t('track.dispute'));
      confirm.addEventListener('click', () => void answer(l.id, 'confirmed'));
      dispute.addEventListener('click', () => {
        const note = window.prompt(t('track.disputeNote')) ?? '';
        void answer(l.id, 'disputed', note);
      });
      card.append(h('div', { class: 'actions-row' }, dispute, confirm));
    }
  }
  return card;
}

function render() {
  if (!data) return;
  const d = data;
  $('#summary').replaceChildren(
    h('p', {}, h('strong', {}, d.company.name), ' ', h('span', { class: 'status-chip' }, t(`track.status.${d.status}` as StringKey))),
    h('p', { class: 'muted' }, `${t('apply.reference')}：${d.reference} · ${when(d.createdAt)}`),
    h('p', {}, t('track.need', { amount: moneyAmount(d.need.amount), months: String(d.need.termMonths) })),
    h('p', { class: 'muted' }, t('track.contact', { name: d.contact.name, phone: d.contact.phone })));
  $('#summary').hidden = false;
  $('#offers').replaceChildren(...d.offers.map((o) => offerCard(o, d)));
  $('#offers').hidden = d.offers.length === 0;
  $('#leads').replaceChildren(...d.leads.map(leadCard));
  $('#withdraw').hidden = !d.canWithdraw;
  $('#second-look').hidden = !d.canSecondLook;
  if (d.canSecondLook) void renderSecondLook();
}

async function load() {
  try {
    data = await api<Tracking>('GET', base);
    render();
  } catch (err) {
    showError(err instanceof ApiError && err.status === 404 ? t('track.notFound') : t('apply.error.other'));
  }
}

async function answer(leadId: number, outcome: 'confirmed' | 'disputed', note = '') {
  try {
    data = await api<Tracking>('POST', `${base}/confirm`, { leadId, outcome, note });
    render();
  } catch {
    showError(t('apply.error.other'));
  }
}

/** The desk's proposal: consent to the named bank (PIPL Art. 23) and accept, or decline. */
function offerCard(o: Offer, d: Tracking): HTMLElement {
  const from = d.leads.find((l) => l.id === o.leadId)?.bankName ?? '';
  const agree = h('input', { type: 'checkbox', name: 'offer-consent' });
  const accept = h('button', { type: 'button', class: 'primary', disabled: true, 'data-offer-accept': String(o.id) }, t('track.offer.accept'));
  const decline = h('button', { type: 'button', 'data-offer-decline': String(o.id) }, t('track.offer.decline'));
  agree.addEventListener('change', () => (accept.disabled = !agree.checked));
  const send = async (body: object) => {
    try {
      data = await api<Tracking>('POST', `${base}/offers/${o.id}`, body);
      render();
    } catch (err) {
      showError(err instanceof ApiError && err.code === 'offer_closed' ? t('track.offer.closed') : t('apply.error.other'));
      void load();
    }
  };
  accept.addEventListener('click', async () => {
    const consent = await api<{ version: string }>('GET', '/api/applications/consent').catch(() => ({ version: '' }));
    await send({ accept: true, consent: { version: consent.version, banks: [o.bankId] } });
  });
  decline.addEventListener('click', () => void send({ accept: false }));
  return h('article', { class: 'card offer', 'data-offer-id': String(o.id) },
    h('h3', {}, t('track.offer.title')),
    h('p', {}, t('track.offer.body', { from, bank: o.bankName, product: o.productName })),
    h('label', { class: 'consent-bank' }, agree, t('track.secondLook.consent', { bank: o.bankName })),
    h('div', { class: 'actions-row' }, decline, accept));
}

async function renderSecondLook() {
  const box = $('#second-look-options');
  const [{ items }, consent] = await Promise.all([
    api<{ items: Option[] }>('GET', `${base}/second-look`),
    api<{ version: string }>('GET', '/api/applications/consent'),
  ]).catch(() => [{ items: [] as Option[] }, { version: '' }] as const);
  if (!items.length) {
    box.replaceChildren(h('p', { class: 'muted' }, t('track.secondLook.none')));
    return;
  }
  box.replaceChildren(...items.slice(0, 3).map(({ product: p }) => {
    const agree = h('input', { type: 'checkbox' });
    const send = h('button', { type: 'button', class: 'primary', disabled: true }, t('track.secondLook.send'));
    agree.addEventListener('change', () => (send.disabled = !agree.checked));
    send.addEventListener('click', async () => {
      try {
        data = await api<Tracking>('POST', `${base}/second-look`, { productId: p.id, consent: { version: consent.version, banks: [p.bankId] } });
        render();
      } catch {
        showError(t('apply.error.other'));
      }
    });
    return h('div', { class: 'card' }, h('p', {}, h('strong', {}, p.bankName), ` · ${p.name} · ${rateRange(p.rate)}`),
      h('label', { class: 'consent-bank' }, agree, t('track.secondLook.consent', { bank: p.bankName })), send);
  }));
}

function main() {
  mountI18n();
  $('#withdraw').addEventListener('click', async () => {
    if (!window.confirm(t('track.withdrawAsk'))) return;
    try {
      data = await api<Tracking>('POST', `${base}/withdraw`, {});
      render();
    } catch {
      showError(t('apply.error.other'));
    }
  });
  document.addEventListener('langchange', render);
  void load();
}

main();
