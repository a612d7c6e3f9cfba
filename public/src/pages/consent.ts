import { api, ApiError } from '../api';
import type { ConsentAsk as Ask } from '../api-types';
import { $, h } from '../dom';
import { mountI18n, t } from '../i18n';
import { money } from '../labels';
import '../strings/consent';

// /consent/:token on the owner's phone: what the desk filled in, each recipient bank and product, what is shared
// and for how long; the owner verifies their own number by SMS code and sends the request.


const token = location.pathname.split('/').pop() ?? '';
let ask: Ask | undefined;
const lang = () => (document.documentElement.lang === 'en' ? 'en' : 'zh');
const full = (iso: string) => new Date(iso).toLocaleString(lang() === 'en' ? 'en' : 'zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const failed = (err: unknown) => {
  const detail = err instanceof ApiError ? [String(err.problem.detail ?? err.code), ...((err.problem.errors as { message: string }[] | undefined) ?? []).map((e) => e.message)].join(' ') : String(err);
  $('#error').textContent = t('consent.failed', { detail });
  $('#error').hidden = false;
};

function render() {
  if (!ask) return;
  const text = ask.consent.text[lang()];
  const state = $('#state');
  state.hidden = ask.status === 'awaiting_consent';
  if (ask.status !== 'awaiting_consent') state.textContent = t(ask.status === 'lapsed' ? 'consent.lapsed' : 'consent.confirmed');
  $('#ask').replaceChildren(
    h('p', {}, t('consent.intro', { desk: '', by: ask.assistedBy ?? '' })),
    h('h2', {}, t('consent.company')), h('p', { 'data-company': '' }, `${ask.company.name}（${ask.company.uscc}）`),
    h('h2', {}, t('consent.need')), h('p', {}, `${money(ask.need.amount)} · ${ask.need.termMonths} ${lang() === 'en' ? 'months' : '个月'}${ask.need.purpose ? ` · ${ask.need.purpose}` : ''}`),
    h('h2', {}, t('consent.recipients')),
    h('ul', {}, ...ask.recipients.map((r) => h('li', { 'data-recipient': '' }, h('strong', {}, r.bankName), ` · ${r.productName}`))),
    h('p', {}, text.purpose), h('p', {}, text.shared), h('p', {}, text.retention), h('p', {}, text.withdraw),
    h('p', { class: 'muted' }, t('consent.expires', { time: full(ask.expiresAt) })),
  );
  $('#ask').hidden = false;
  $('#c-phone-label').textContent = t('consent.phone', { masked: ask.contact.phone });
  $('#confirm-form').hidden = ask.status !== 'awaiting_consent';
}

async function load() {
  try {
    ask = await api<Ask>('GET', `/api/consent/${encodeURIComponent(token)}`);
    render();
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) {
      $('#state').textContent = t('consent.notFound');
      $('#state').hidden = false;
    } else failed(err);
  }
}

const phone = () => ($('#c-phone') as HTMLInputElement).value.replace(/\D/g, '');

async function sendCode() {
  $('#error').hidden = true;
  try {
    await api('POST', '/api/phone-codes', { phone: phone(), purpose: 'consent' });
    $('#code-note').textContent = t('consent.codeSent');
  } catch (err) {
    failed(err);
  }
}

async function confirm(e: Event) {
  e.preventDefault();
  $('#error').hidden = true;
  try {
    const { phoneToken } = await api<{ phoneToken: string }>('POST', '/api/phone-codes/verify', { phone: phone(), purpose: 'consent', code: ($('#c-code') as HTMLInputElement).value.trim() });
    const done = await api<{ trackingUrl: string }>('POST', `/api/consent/${encodeURIComponent(token)}/confirm`, { phoneToken });
    $('#confirm-form').hidden = true;
    $('#done').replaceChildren(h('p', {}, t('consent.done')), h('p', {}, h('a', { href: done.trackingUrl, id: 'tracking-link' }, done.trackingUrl)));
    $('#done').hidden = false;
  } catch (err) {
    failed(err);
  }
}

mountI18n();
$('#send-code').addEventListener('click', () => void sendCode());
$('#confirm-form').addEventListener('submit', (e) => void confirm(e));
document.addEventListener('langchange', render);
void load();
