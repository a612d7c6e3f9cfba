import { commonStrings } from './strings/common';
import type { apiDocsStrings } from './strings/docs';
import type { applyStrings } from './strings/apply';
import type { catalogueStrings } from './strings/catalogue';
import type { consentStrings } from './strings/consent';
import type { deskStrings } from './strings/desk';
import type { leadsStrings } from './strings/leads';
import type { loginStrings } from './strings/login';

export type Lang = 'zh-CN' | 'en';
const STORAGE_KEY = 'rongma.lang';

/** UI strings, zh-CN first. Pages carry the Chinese text in their HTML too, so they read right before scripts run. */
export type StringTable = Record<string, { zh: string; en: string }>;

/**
 * Every key of every table (a type only: a page's bundle holds just the tables its modules import, see
 * public/src/strings/; scripts/build.mjs refuses a page whose HTML or code names a key its bundle lacks).
 */
export type StringKey = keyof typeof commonStrings | keyof typeof apiDocsStrings | keyof typeof applyStrings | keyof typeof catalogueStrings
  | keyof typeof consentStrings | keyof typeof deskStrings | keyof typeof leadsStrings | keyof typeof loginStrings;

const registry = new Map<string, { zh: string; en: string }>(Object.entries(commonStrings));

/** Makes a table's strings available to `t` and `data-i18n` (each table module calls it once when imported). */
export function registerStrings(table: StringTable): void {
  for (const [key, entry] of Object.entries(table)) registry.set(key, entry);
}

/** Whether a key (often a computed one, such as an event name) has a string in this page's tables. */
export function hasString(key: string): key is StringKey {
  return registry.has(key);
}

export function currentLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** The string for a key in the current language, with `{name}` placeholders filled (an unknown key shows as itself). */
export function t(key: StringKey, vars: Record<string, string> = {}): string {
  const entry = registry.get(key);
  if (!entry) return key;
  const text = currentLang() === 'en' ? entry.en : entry.zh;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? `{${name}}`);
}

/** Fills `data-i18n` (text), `data-i18n-placeholder` and `data-i18n-aria-label` under root. */
export function applyI18n(root: ParentNode = document): void {
  document.documentElement.lang = currentLang();
  root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    if (hasString(el.dataset.i18n ?? '')) el.textContent = t(el.dataset.i18n as StringKey);
  });
  root.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]').forEach((el) => {
    if (hasString(el.dataset.i18nPlaceholder ?? '')) el.placeholder = t(el.dataset.i18nPlaceholder as StringKey);
  });
  root.querySelectorAll<HTMLElement>('[data-i18n-aria-label]').forEach((el) => {
    if (hasString(el.dataset.i18nAriaLabel ?? '')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel as StringKey));
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
