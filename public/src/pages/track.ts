import QRCode from 'qrcode';
import { shanghaiDate, spreadBp } from '../../../server/domain/lpr';
import type { TrackedLead, TrackingAnswer } from '../api-types';
import { copyWithButton } from '../copy';
import { api, ApiError } from '../api';
import { $, h } from '../dom';
import { currentLang, mountI18n, t, type StringKey } from '../i18n';
import { label, moneyAmount, rateRange, spreadRange } from '../labels';
import { mountLookup } from '../lookup';
import '../strings/apply';
import '../strings/leads';

type Lead = TrackedLead;
/** The tracking answer, with the desk's offers and the SMS sent to the applicant about this request. */
type Tracking = Omit<TrackingAnswer, 'offers'> & { offers: Offer[]; messages?: { text: string; sentAt: string }[] };
/** The desk proposes another bank because the first did not accept in time. */
interface Offer { id: number; leadId: number; bankId: number; bankName: string; productName: string; createdAt: string }
interface Option {
  product: { id: number; bankId: number; bankName: string; name: string; rate: { min: number; max: number } };
}

const token = decodeURIComponent(location.pathname.split('/').pop() ?? '');
const base = `/api/applications/track/${encodeURIComponent(token)}`;
let data: Tracking | undefined;

const good = new Set(['claimed', 'contacted', 'approved', 'disbursed']);

/** A full date and time with the year, in Shanghai time: 「2026年12月3日 17:30」 / "3 Dec 2026, 17:30". */
function when(iso: string): string {
  return new Date(iso).toLocaleString(currentLang() === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: currentLang() === 'en' ? 'short' : 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
  });
}

function day(iso: string): string {
  return new Date(iso).toLocaleDateString(currentLang() === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: currentLang() === 'en' ? 'short' : 'long', day: 'numeric' });
}

/** How far the request has got: the furthest step any bank reached (a request goes to up to 3 banks). */
const progress = ['disbursed', 'approved', 'contacted', 'claimed', 'new'] as const;
function overallStatus(d: Tracking): StringKey {
  if (d.status !== 'open') return `track.status.${d.status}`;
  const reached = progress.find((p) => d.leads.some((l) => l.status === p));
  if (reached) return `track.overall.${reached}`;
  return d.leads.length && d.leads.every((l) => l.status === 'declined') ? 'track.overall.declined' : 'track.status.open';
}

/** What the bank must do next, and by when (its SLA deadline), in plain words. */
function nextStep(l: Lead): string | null {
  const due = l.deadlines;
  if (!due) return null;
  if (l.status === 'new' && due.acceptDueAt) return t('track.due.accept', { at: when(due.acceptDueAt) });
  if (l.status === 'claimed' && due.contactDueAt) return t('track.due.contact', { at: when(due.contactDueAt) });
  if (l.status === 'contacted' && due.decisionDueAt) return t('track.due.decision', { at: when(due.decisionDueAt) });
  return null;
}

/** 「LPR + 20 bp」 on the day of the decision, as the catalogue writes spreads. */
function spread(ratePct: number, on: string): string {
  const bp = spreadBp(ratePct, shanghaiDate(new Date(on)));
  return spreadRange({ min: bp, max: bp });
}

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
  const next = nextStep(l);
  if (next) card.append(h('p', { class: 'due' }, next));
  if (l.terms) {
    card.append(h('p', {}, t('track.terms', { amount: moneyAmount(l.terms.amount), rate: l.terms.ratePct.toFixed(2), months: String(l.terms.termMonths) }),
      ` (${spread(l.terms.ratePct, l.decidedAt ?? l.createdAt)})${l.terms.guaranteeType ? ` · ${label('guarantee', l.terms.guaranteeType)}` : ''}`));
  }
  if (l.disbursedAt && l.disbursedAmount != null) card.append(h('p', { class: 'disbursed' }, t('track.disbursed', { amount: moneyAmount(l.disbursedAmount), on: day(l.disbursedAt) })));
  if (l.terms) {
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
    h('p', {}, h('strong', {}, d.company.name), ' ', h('span', { class: 'status-chip', id: 'overall' }, t(overallStatus(d)))),
    h('p', { class: 'muted' }, `${t('apply.reference')}${t('apply.colon')}${d.reference} · ${when(d.createdAt)}`),
    h('p', {}, t('track.need', { amount: moneyAmount(d.need.amount), months: String(d.need.termMonths) })),
    h('p', { class: 'muted' }, t('track.contact', { name: d.contact.name, phone: d.contact.phone })));
  $('#summary').hidden = false;
  $('#offers').replaceChildren(...d.offers.map((o) => offerCard(o, d)));
  $('#offers').hidden = d.offers.length === 0;
  $('#leads').replaceChildren(...d.leads.map(leadCard));
  const messages = d.messages ?? [];
  $('#message-list').replaceChildren(...messages.map((m) => h('li', {}, h('span', { class: 'muted' }, when(m.sentAt)), ' ', m.text)));
  $('#messages').hidden = messages.length === 0;
  $('#withdraw').hidden = !d.canWithdraw;
  $('#second-look').hidden = !d.canSecondLook;
  if (d.canSecondLook) void renderSecondLook();
}

async function load() {
  try {
    data = await api<Tracking>('GET', base);
    render();
    // Only a link that opens a request is worth saving.
    if ($('#link-qr-box').hidden) void showLinkQr();
    $('#keep-link').hidden = false;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return showNotFound();
    showError(t('track.loadFailed'));
  }
}

/** An unknown or mistyped link: say what may have happened and where to go, not 「提交失败」. */
function showNotFound() {
  $('#error').replaceChildren(h('strong', {}, t('track.notFound')));
  $('#error').hidden = false;
  $('#not-found').replaceChildren(
    h('p', {}, t('track.notFound.why')),
    h('p', {}, h('a', { class: 'button', href: '/apply' }, t('track.notFound.apply')), ' ', h('a', { class: 'button', href: '/' }, t('track.notFound.catalogue'))));
  $('#not-found').hidden = false;
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

/** The tracking link as a QR image the applicant can save (the link is the only key to the request). */
async function showLinkQr() {
  try {
    const url = await QRCode.toDataURL(location.href, { margin: 1, width: 200, errorCorrectionLevel: 'M' });
    ($('#link-qr') as HTMLImageElement).src = url;
    ($('#link-qr') as HTMLImageElement).alt = t('track.qrAlt');
    ($('#save-qr') as HTMLAnchorElement).href = url;
    $('#link-qr-box').hidden = false;
  } catch {
    // Without a canvas the copy button still offers the link.
  }
}

function main() {
  mountI18n();
  mountLookup($('#lookup-box'));
  $('#withdraw').addEventListener('click', async () => {
    if (!window.confirm(t('track.withdrawAsk'))) return;
    try {
      data = await api<Tracking>('POST', `${base}/withdraw`, {});
      render();
    } catch {
      showError(t('apply.error.other'));
    }
  });
  $('#copy-link').addEventListener('click', () => void copyWithButton($('#copy-link'), location.href, () => window.prompt(t('track.copyPrompt'), location.href)));
  document.addEventListener('langchange', () => {
    render();
    ($('#link-qr') as HTMLImageElement).alt = t('track.qrAlt');
    if (!$('#not-found').hidden) showNotFound();
  });
  void load();
}

main();
