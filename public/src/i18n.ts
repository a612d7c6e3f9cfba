import { strings, type StringKey } from './strings';

export type Lang = 'zh-CN' | 'en';
const STORAGE_KEY = 'rongma.lang';

export function currentLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** The string for a key in the current language, with `{name}` placeholders filled. */
export function t(key: StringKey, vars: Record<string, string> = {}): string {
  const entry = strings[key];
  const text: string = currentLang() === 'en' ? entry.en : entry.zh;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? `{${name}}`);
}

function isKey(key: string | undefined): key is StringKey {
  return key !== undefined && key in strings;
}

/** Fills `data-i18n` (text), `data-i18n-placeholder` and `data-i18n-aria-label` under root. */
export function applyI18n(root: ParentNode = document): void {
  document.documentElement.lang = currentLang();
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    if (isKey(el.dataset.i18n)) el.textContent = t(el.dataset.i18n);
  });
  root.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]').forEach((el) => {
    if (isKey(el.dataset.i18nPlaceholder)) el.placeholder = t(el.dataset.i18nPlaceholder);
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-aria-label]').forEach((el) => {
    if (isKey(el.dataset.i18nAriaLabel)) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  });
}

/** Wires every `[data-lang-switch]` button; the choice is remembered and pages hear a `langchange` event. */
export function mountI18n(): void {
  applyI18n();
  document.querySelectorAll<HTMLButtonElement>('[data-lang-switch]').forEach((button) => {
    button.addEventListener('click', () => {
      try {
        localStorage.setItem(STORAGE_KEY, currentLang() === 'en' ? 'zh-CN' : 'en');
      } catch {
        /* private mode: the switch still applies to this page */
      }
      applyI18n();
      document.dispatchEvent(new CustomEvent('langchange'));
    });
  });
}

/** A moment as the city reads it (Asia/Shanghai, whatever the device's zone): month/day hour:minute. */
export function when(iso: string): string {
  return new Date(iso).toLocaleString(currentLang(), { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
