/**
 * The SMS code step, one home for every page that proves a phone (apply, lookup, watch): a 获取验证码
 * button that counts down to its resend time, the code field, and in development (log provider) the
 * code itself shown on the page so a newcomer can walk the journey without a phone.
 */
import { MOBILE_PHONE } from '../../server/domain/phone';
import { api, ApiError } from './api';
import { h } from './dom';
import { t } from './i18n';
import { readPhone } from './apply-fields';
import './strings/apply';

export type PhonePurpose = 'apply' | 'lookup' | 'watch';

export interface PhoneCode {
  /** Verifies the typed code once per phone and answers the phoneToken (cached until the phone changes). */
  token(): Promise<string>;
  element: HTMLElement;
}

export function phoneCodeStep(purpose: PhonePurpose, phoneOf: () => string, idPrefix: string): PhoneCode {
  const code = h('input', { id: `${idPrefix}-code`, name: `${idPrefix}Code`, inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '6', pattern: '\\d{6}' }) as HTMLInputElement;
  const send = h('button', { type: 'button', id: `${idPrefix}-send`, class: 'secondary' }, t('phone.send')) as HTMLButtonElement;
  const note = h('p', { class: 'muted', id: `${idPrefix}-note`, 'aria-live': 'polite' });
  let cached: { phone: string; token: string } | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  function countdown(seconds: number) {
    clearInterval(timer);
    let left = seconds;
    send.disabled = true;
    send.textContent = t('phone.resendIn', { n: String(left) });
    timer = setInterval(() => {
      left -= 1;
      if (left > 0) {
        send.textContent = t('phone.resendIn', { n: String(left) });
        return;
      }
      clearInterval(timer);
      send.disabled = false;
      send.textContent = t('phone.resend');
    }, 1000);
  }

  send.addEventListener('click', async () => {
    const phone = readPhone(phoneOf());
    if (!MOBILE_PHONE.test(phone)) {
      note.textContent = t('apply.phone.bad');
      return;
    }
    try {
      const res = await api<{ resendAfterSeconds: number; devCode?: string }>('POST', '/api/phone-codes', { phone, purpose });
      note.textContent = res.devCode ? t('phone.devCode', { code: res.devCode }) : t('phone.sent');
      countdown(res.resendAfterSeconds);
      code.focus();
    } catch (err) {
      const limited = err instanceof ApiError && err.status === 429;
      note.textContent = limited ? t('phone.tooMany') : t('apply.error.other');
      if (limited) countdown(60);
    }
  });

  const label = h('label', { for: code.id }, t('phone.code'));
  document.addEventListener('langchange', () => {
    label.textContent = t('phone.code');
    if (!send.disabled) send.textContent = t('phone.send');
    note.textContent = '';
  });
  const element = h('div', { class: 'field phone-code' },
    label,
    h('div', { class: 'inline' }, code, send),
    note);

  return {
    element,
    async token() {
      const phone = readPhone(phoneOf());
      if (cached?.phone === phone) return cached.token;
      const res = await api<{ phoneToken: string }>('POST', '/api/phone-codes/verify', { phone, purpose, code: code.value.trim() });
      cached = { phone, token: res.phoneToken };
      return res.phoneToken;
    },
  };
}
