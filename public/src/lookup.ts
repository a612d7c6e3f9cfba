/** 找回我的申请: a phone proves itself by SMS code and gets back its requests of the last 180 days. */
import { api, ApiError } from './api';
import { h } from './dom';
import { t } from './i18n';
import { readPhone } from './apply-fields';
import { phoneCodeStep } from './phone-code';
import './strings/apply';

interface Found { items: { id: number; reference: string; createdAt: string; status: string; trackingUrl: string }[] }

/** Draws the box; drawn again in the other language on a switch. */
export function mountLookup(container: HTMLElement): void {
  drawLookup(container);
  document.addEventListener('langchange', () => drawLookup(container));
}

function drawLookup(container: HTMLElement): void {
  const phone = h('input', { id: 'lookup-phone', type: 'tel', inputmode: 'tel', autocomplete: 'tel', maxlength: '20' }) as HTMLInputElement;
  const step = phoneCodeStep('lookup', () => phone.value, 'lookup');
  const find = h('button', { type: 'submit', class: 'primary', id: 'lookup-find' }, t('lookup.find'));
  const out = h('div', { id: 'lookup-results', 'aria-live': 'polite' });
  const form = h('form', { id: 'lookup-form', novalidate: '' },
    h('p', { class: 'muted' }, t('lookup.intro')),
    h('div', { class: 'field' }, h('label', { for: phone.id }, t('apply.phone')), phone),
    step.element, find, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren();
    try {
      const phoneToken = await step.token();
      const res = await api<Found>('POST', '/api/applications/lookup', { phone: readPhone(phone.value), phoneToken });
      if (res.items.length === 0) {
        out.replaceChildren(h('p', {}, t('lookup.none')));
        return;
      }
      out.replaceChildren(h('ul', { class: 'lookup-list' }, ...res.items.map((i) => h('li', {},
        h('a', { href: new URL(i.trackingUrl).pathname, 'data-lookup-link': '' }, i.reference),
        ` · ${new Date(i.createdAt).toLocaleDateString(document.documentElement.lang === 'en' ? 'en' : 'zh-CN', { timeZone: 'Asia/Shanghai' })}`))));
    } catch (err) {
      out.replaceChildren(h('p', { class: 'field-error' }, err instanceof ApiError && err.code.startsWith('code_') ? t('phone.wrong') : t('apply.error.other')));
    }
  });
  container.replaceChildren(h('details', { class: 'card lookup', id: 'lookup' }, h('summary', {}, t('lookup.title')), form));
}
