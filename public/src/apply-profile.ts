/**
 * The application's step 1: the profile form's choices (in the current language), the USCC check as
 * it is typed, and the profile read as the API takes it.
 */
import { isValidUscc } from '../../server/domain/uscc';
import { $, h } from './dom';
import { currentLang, t } from './i18n';
import { industries } from './industries';
import { codesOf, label } from './labels';
import { fieldErrorsOf, messageFor, readNumber, type FieldError } from './apply-fields';
import './strings/apply';

const WAN = 10_000;
const TERMS = [3, 6, 12, 18, 24, 36, 60];
const formOf = (id: string) => $(id) as HTMLFormElement;
const value = (form: HTMLFormElement, name: string) => String(new FormData(form).get(name) ?? '').trim();

export function fillProfileChoices() {
  const keep = (sel: HTMLSelectElement, options: [string, string][]) => {
    const v = sel.value;
    sel.replaceChildren(...options.map(([val, txt]) => h('option', { value: val }, txt)));
    if (v) sel.value = v;
  };
  keep($('#district') as HTMLSelectElement, codesOf('district').map((c) => [c, label('district', c)]));
  keep($('#industry') as HTMLSelectElement, [...industries.map(([c, zh, en]): [string, string] => [c, `${c} ${currentLang() === 'en' ? en : zh}`]), ['other', t('apply.industry.other')]]);
  keep($('#term') as HTMLSelectElement, TERMS.map((m) => [String(m), t('apply.months', { n: String(m) })]));
  if (!($('#term') as HTMLSelectElement).dataset.init) {
    ($('#term') as HTMLSelectElement).value = '12';
    ($('#term') as HTMLSelectElement).dataset.init = '1';
  }
  const box = $('#collateral');
  const checked = new Set([...box.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value));
  box.replaceChildren(box.querySelector('legend')!, ...codesOf('collateral').map((k) =>
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'collateral', value: k, checked: checked.has(k) }), ' ', label('collateral', k))));
  const taxUnknown = ($('#tax') as HTMLSelectElement).options[0]!;
  taxUnknown.textContent = t('apply.tax.unknown');
  const certs = $('#certifications');
  const held = new Set([...certs.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value));
  certs.replaceChildren(certs.querySelector('legend')!, ...[...codesOf('certification'), 'none'].map((k) =>
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'certifications', value: k, checked: held.has(k) }), ' ',
      k === 'none' ? t('apply.certifications.none') : label('certification', k))));
}

export function checkUscc() {
  const input = $('#uscc') as HTMLInputElement;
  const note = $('#uscc-check');
  const code = input.value.trim().toUpperCase();
  if (code.length < 18) {
    note.textContent = '';
    note.className = 'field-note';
    input.classList.remove('invalid');
    return false;
  }
  const ok = isValidUscc(code);
  note.textContent = ok ? t('apply.uscc.ok') : t('apply.uscc.bad');
  note.className = `field-note ${ok ? 'ok' : 'bad'}`;
  input.classList.toggle('invalid', !ok);
  return ok;
}

/** The profile as the API takes it: 万元 → CNY, optional fields left out when empty; the field errors when a field is wrong. */
export function readProfile(): { company: Record<string, unknown>; need: { amount: number; termMonths: number; purpose: string } } | FieldError[] {
  const f = formOf('#profile');
  const bad: FieldError[] = [];
  const need = (ok: boolean, path: string, id?: string) => {
    if (!ok) bad.push({ id: id ?? fieldErrorsOf([{ path }]).known[0]!.id, message: messageFor(path) });
  };
  const industry = value(f, 'industry') === 'other' ? value(f, 'industryOther').toUpperCase() : value(f, 'industry');
  const employees = readNumber(value(f, 'employees'), 'count');
  const revenue = readNumber(value(f, 'revenue'), 'wan');
  const assets = readNumber(value(f, 'assets'), 'wan');
  const overdue = readNumber(value(f, 'overdueCount'), 'count') ?? 0;
  const amount = readNumber(value(f, 'amount'), 'wan');
  const isCount = (n: number | undefined) => n !== undefined && Number.isInteger(n) && n >= 0;
  need(value(f, 'name').length >= 2, 'company.name');
  need(isValidUscc(value(f, 'uscc').toUpperCase()), 'company.uscc');
  need(/^[A-T](\d{2}|\d{3}|\d{4})?$/.test(industry), 'company.industry', value(f, 'industry') === 'other' ? 'industry-other' : 'industry');
  need(/^\d{4}-\d{2}-\d{2}$/.test(value(f, 'establishedOn')), 'company.establishedOn');
  need(isCount(employees), 'company.employees');
  need(revenue !== undefined && revenue >= 0, 'company.annualRevenue');
  need(assets === undefined || assets >= 0, 'company.totalAssets');
  need(isCount(overdue), 'company.overdueCount');
  need(amount !== undefined && amount > 0, 'need.amount');
  if (bad.length) return bad;
  const collateral = new FormData(f).getAll('collateral').map(String);
  const certs = new FormData(f).getAll('certifications').map(String);
  const company = {
    name: value(f, 'name'),
    uscc: value(f, 'uscc').toUpperCase(),
    district: value(f, 'district'),
    industry,
    establishedOn: value(f, 'establishedOn'),
    employees: employees!,
    annualRevenue: Math.round(revenue! * WAN),
    ...(assets !== undefined ? { totalAssets: Math.round(assets * WAN) } : {}),
    taxRating: value(f, 'taxRating') || 'unknown',
    hasBankLoan: value(f, 'hasBankLoan') === 'true',
    overdueCount: overdue,
    collateral: collateral.length ? collateral.filter((c) => c !== 'none' || collateral.length === 1) : ['none'],
    guaranteeAvailable: value(f, 'guaranteeAvailable') === 'true',
    // Nothing ticked: not answered (products asking for a certificate then say what they need); 「都没有」: none.
    ...(certs.length ? { certifications: certs.filter((c) => c !== 'none') } : {}),
  };
  return { company, need: { amount: Math.round(amount! * WAN), termMonths: Number(value(f, 'termMonths')), purpose: value(f, 'purpose') } };
}
