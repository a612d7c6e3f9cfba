import { api } from '../api';
import type { AssistedAnswer as Assisted, Paged } from '../api-types';
import { $, h } from '../dom';
import { mountFrame } from '../frame';
import { t, type StringKey } from '../i18n';
import { mountProfileForm, type Profile } from '../desk/profile-form';
import { digits, field, shanghaiTime, showProblem, type MatchResult } from '../desk/services';
import '../strings/desk';

// Assisted applications (代办): fill in /apply's form with the owner, choose up to 3 eligible products, send;
// the owner confirms on their own phone at the consent link.


let eligible: MatchResult[] = [];
let items: Assisted[] = [];
let total = 0;

function renderEligible() {
  $('#eligible').replaceChildren(...(eligible.length ? eligible.map((m) => h('div', { class: 'field', 'data-eligible': String(m.product.id) },
    h('label', { for: `pick-${m.product.id}` }, h('input', { type: 'checkbox', id: `pick-${m.product.id}`, value: String(m.product.id) }), ` ${m.product.bankName} · ${m.product.name}`)))
    : [h('p', {}, t('asst.noneEligible'))]));
}

function renderList() {
  $('#count').textContent = t('svc.count', { n: String(total) });
  const head = h('tr', {}, ...(['svc.time', 'svc.companyName', 'asst.recipients', 'svc.status', 'asst.by'] as StringKey[]).map((k) => h('th', { scope: 'col' }, t(k))));
  $('#assisted').replaceChildren(h('thead', {}, head), h('tbody', {}, ...items.map((a) => h('tr', { 'data-assisted': String(a.id), 'data-status': a.status },
    h('td', {}, shanghaiTime(a.createdAt)), h('th', { scope: 'row' }, a.companyName, h('br'), h('small', { class: 'muted' }, a.phone)),
    h('td', {}, a.recipients.map((r) => `${r.bankName} · ${r.productName}`).join('；')),
    h('td', {}, t(`asst.status.${a.status}` as StringKey)), h('td', {}, a.assistedBy.name ?? '')))));
}

async function load() {
  try {
    const page = await api<Paged<Assisted>>('GET', '/api/applications/assisted?pageSize=50');
    items = page.items;
    total = page.total;
    renderList();
  } catch (err) {
    showProblem(err);
  }
}

/** Files the assisted application for the products ticked; the owner confirms at the link shown. */
async function send(matched: Profile) {
  const productIds = eligible.filter((m) => (document.getElementById(`pick-${m.product.id}`) as HTMLInputElement).checked).map((m) => m.product.id);
  const made = await api<Assisted>('POST', '/api/applications/assisted', {
    company: matched.company, contact: { name: field('f-contact').value.trim(), phone: digits(field('f-phone').value) }, need: matched.need, mode: 'chosen', productIds,
  });
  $('#sent').replaceChildren(h('p', {}, t('asst.sent')), h('p', {}, h('a', { href: made.consentUrl!, id: 'consent-link' }, made.consentUrl!)));
  $('#sent').hidden = false;
}

async function main() {
  if (!(await mountFrame())) return;
  mountProfileForm({
    resultForm: '#send-form',
    beforeMatch: () => ($('#sent').hidden = true),
    keep: (results) => (eligible = results.filter((r) => r.eligible).slice(0, 10)),
    render: renderEligible,
    send,
    reload: load,
    relabel: renderList,
  });
  await load();
}

void main();
