/**
 * The application form's fields: what people type turned into numbers ("400万", "60人", "138-2658-1234"),
 * server field paths mapped to the field they name with a message in the user's language, errors shown
 * at their field and cleared once it is changed, and the draft kept on the device across a reload.
 */
import { $, h } from './dom';
import { t, type StringKey } from './i18n';
import './strings/apply';

/** Each server field path (prefix) → the element it names and the message key to show there. */
const fields: Record<string, { id: string; key: StringKey }> = {
  'company.name': { id: 'name', key: 'apply.err.name' },
  'company.uscc': { id: 'uscc', key: 'apply.uscc.bad' },
  'company.district': { id: 'district', key: 'apply.err.district' },
  'company.industry': { id: 'industry', key: 'apply.err.industry' },
  'company.establishedOn': { id: 'established', key: 'apply.err.established' },
  'company.employees': { id: 'employees', key: 'apply.err.employees' },
  'company.annualRevenue': { id: 'revenue', key: 'apply.err.revenue' },
  'company.totalAssets': { id: 'assets', key: 'apply.err.assets' },
  'company.taxRating': { id: 'tax', key: 'apply.err.tax' },
  'company.overdueCount': { id: 'overdue', key: 'apply.err.overdue' },
  'company.hasBankLoan': { id: 'has-loan', key: 'apply.err.choose' },
  'company.collateral': { id: 'collateral', key: 'apply.err.collateral' },
  'company.guaranteeAvailable': { id: 'guarantee', key: 'apply.err.choose' },
  'company.certifications': { id: 'certifications', key: 'apply.err.certifications' },
  'need.amount': { id: 'amount', key: 'apply.err.amount' },
  'need.termMonths': { id: 'term', key: 'apply.err.term' },
  'need.purpose': { id: 'purpose', key: 'apply.err.purpose' },
  'contact.name': { id: 'contact-name', key: 'apply.err.contactName' },
  'contact.phone': { id: 'phone', key: 'apply.phone.bad' },
};

export interface FieldError {
  /** Element id, without '#'. */
  id: string;
  message: string;
}

/** Server errors → field errors; paths no field answers for (none expected) are returned apart. */
export function fieldErrorsOf(errors: { path: string }[]): { known: FieldError[]; unknown: string[] } {
  const known: FieldError[] = [];
  const unknown: string[] = [];
  for (const e of errors) {
    const key = Object.keys(fields).find((p) => e.path === p || e.path.startsWith(`${p}.`));
    const f = key ? fields[key]! : undefined;
    if (!f) unknown.push(e.path);
    else if (!known.some((k) => k.id === f.id)) known.push({ id: f.id, message: t(f.key) });
  }
  return { known, unknown };
}

export const messageFor = (path: string) => t(fields[path]!.key);

function errorNode(id: string): HTMLElement {
  const existing = document.getElementById(`${id}-error`);
  if (existing) return existing;
  const el = document.getElementById(id)!;
  const note = h('p', { class: 'field-error', id: `${id}-error` });
  (el.closest('.field') ?? el).append(note);
  return note;
}

/** Marks each field, writes its message under it, and brings the first into view with the focus. */
export function showFieldErrors(errors: FieldError[]): void {
  for (const e of errors) {
    const el = document.getElementById(e.id);
    if (!el) continue;
    el.classList.add('invalid');
    el.setAttribute('aria-invalid', 'true');
    const note = errorNode(e.id);
    note.textContent = e.message;
    el.setAttribute('aria-describedby', note.id);
  }
  const first = errors.map((e) => document.getElementById(e.id)).find(Boolean);
  if (first) {
    first.scrollIntoView({ block: 'center' });
    const target = first.matches('input, select, textarea') ? first : first.querySelector<HTMLElement>('input, select');
    target?.focus({ preventScroll: true });
  }
}

export function clearFieldError(id: string): void {
  const el = document.getElementById(id);
  el?.classList.remove('invalid');
  el?.removeAttribute('aria-invalid');
  document.getElementById(`${id}-error`)?.remove();
  if (!document.querySelector('.field-error')) $('#error').hidden = true;
}

/** Clears a field's error as soon as it is changed (fieldsets clear on any of their inputs). */
export function clearErrorsOnEdit(root: HTMLElement): void {
  const clear = (e: Event) => {
    const target = e.target as HTMLElement;
    const owner = target.closest<HTMLElement>('fieldset[id]') ?? target;
    if (owner.id) clearFieldError(owner.id);
  };
  root.addEventListener('input', clear);
  root.addEventListener('change', clear);
}

/**
 * A number as people type it: digits with grouping, spaces or a unit. `unit` says what the field counts:
 * 万元 (「400万」 → 400, 「4,000,000元」 → 400, 「1.2亿」 → 12000) or a count (「60人」 → 60).
 * Answers undefined for an empty field and NaN for what cannot be read.
 */
export function readNumber(raw: string, unit: 'wan' | 'count'): number | undefined {
  let s = raw.normalize('NFKC').replace(/[,，\s]/g, '');
  if (s === '') return undefined;
  let factor = 1;
  if (unit === 'wan') {
    if (/亿元?$/.test(s)) { factor = 10_000; s = s.replace(/亿元?$/, ''); } else if (/万元?$/.test(s)) s = s.replace(/万元?$/, '');
    else if (/元$/.test(s)) { factor = 1 / 10_000; s = s.replace(/元$/, ''); }
  } else {
    s = s.replace(/(人|名|个|次)$/, '');
  }
  if (!/^\d+(\.\d+)?$/.test(s)) return Number.NaN;
  return Number(s) * factor;
}

/** A mainland mobile number from what was typed: 「138-2658-1234」, 「+86 138 2658 1234」 → 13826581234. */
export function readPhone(raw: string): string {
  const digits = raw.normalize('NFKC').replace(/[\s\-–—()（）]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
  return digits;
}

const DRAFT_KEY = 'rongma.apply.draft.v1';

/** Keeps every named field of these forms on the device (localStorage); restored after a reload. */
export function saveDraft(forms: HTMLFormElement[]): void {
  const values: Record<string, string[]> = {};
  for (const f of forms) {
    for (const el of f.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[name], select[name]')) {
      if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
        if (el.checked) (values[el.name] ??= []).push(el.value);
        else values[el.name] ??= [];
      } else {
        values[el.name] = [el.value];
      }
    }
  }
  try {
    localStorage.setItem(DRAFT_KEY, JSON.stringify({ savedAt: Date.now(), values }));
  } catch {
    // Private mode or a full store: the form still works, it is only not kept.
  }
}

/** Puts a kept draft back; answers whether there was one. */
export function restoreDraft(forms: HTMLFormElement[]): boolean {
  let values: Record<string, string[]> | undefined;
  try {
    values = (JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null') as { values?: Record<string, string[]> } | null)?.values;
  } catch {
    values = undefined;
  }
  if (!values) return false;
  for (const f of forms) {
    for (const el of f.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[name], select[name]')) {
      const v = values[el.name];
      if (!v) continue;
      if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) el.checked = v.includes(el.value);
      else if (v[0] !== undefined) el.value = v[0];
    }
  }
  return true;
}

export function clearDraft(): void {
  try {
    localStorage.removeItem(DRAFT_KEY);
  } catch {
    // Nothing kept, nothing to clear.
  }
}

/** 「清空」: forget the kept draft and start the forms afresh, with no error left from the last try. */
export function discardDraft(forms: HTMLFormElement[]): void {
  clearDraft();
  for (const f of forms) f.reset();
  document.querySelectorAll('.field-error').forEach((e) => e.remove());
  document.querySelectorAll('.invalid').forEach((e) => e.classList.remove('invalid'));
  $('#error').hidden = true;
}
