/** 有合适产品时短信通知我: on the results, keep the profile (with its own consent) and be texted when a product fits. */
import { api, ApiError } from './api';
import { h } from './dom';
import { currentLang, t } from './i18n';
import { phoneCodeStep } from './phone-code';
import './strings/apply';

interface WatchConsent { version: string; text: { zh: string; en: string } }

/** Draws the box; drawn again in the other language on a switch (unless already done). */
export function mountWatchOptIn(container: HTMLElement, profile: () => { company: object; need: object }): void {
  drawWatchOptIn(container, profile);
  document.addEventListener('langchange', () => {
    if (!document.getElementById('watch-done')) drawWatchOptIn(container, profile);
  });
}

function drawWatchOptIn(container: HTMLElement, profile: () => { company: object; need: object }): void {
  const phone = h('input', { id: 'watch-phone', type: 'tel', inputmode: 'tel', autocomplete: 'tel', maxlength: '20' }) as HTMLInputElement;
  const step = phoneCodeStep('watch', () => phone.value, 'watch');
  const consentText = h('p', { class: 'muted', id: 'watch-consent-text' });
  const agree = h('input', { type: 'checkbox', id: 'watch-agree' }) as HTMLInputElement;
  const out = h('div', { id: 'watch-result', 'aria-live': 'polite' });
  let consent: WatchConsent | undefined;
  const form = h('form', { id: 'watch-form', novalidate: '' },
    consentText,
    h('label', { class: 'consent-bank' }, agree, t('watch.agree')),
    h('div', { class: 'field' }, h('label', { for: phone.id }, t('apply.phone')), phone),
    step.element,
    h('button', { type: 'submit', class: 'primary', id: 'watch-submit' }, t('watch.submit')), out);
  const box = h('details', { class: 'card watch', id: 'watch' }, h('summary', {}, t('watch.title')), form);
  box.addEventListener('toggle', async () => {
    if (!box.open || consent) return;
    consent = await api<WatchConsent>('GET', '/api/watches/consent');
    consentText.textContent = consent.text[currentLang() === 'en' ? 'en' : 'zh'];
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!agree.checked) {
      out.replaceChildren(h('p', { class: 'field-error' }, t('watch.agreeFirst')));
      return;
    }
    try {
      const phoneToken = await step.token();
      const made = await api<{ manageUrl: string; expiresAt: string }>('POST', '/api/watches', { ...profile(), phoneToken, consent: { version: consent!.version } });
      form.replaceChildren(h('p', { id: 'watch-done' }, t('watch.done')), h('p', {}, h('a', { href: new URL(made.manageUrl).pathname }, t('watch.manage'))));
    } catch (err) {
      out.replaceChildren(h('p', { class: 'field-error' }, err instanceof ApiError && err.code.startsWith('code_') ? t('phone.wrong') : t('apply.error.other')));
    }
  });
  container.replaceChildren(box);
}
