import { api, ApiError } from '../api';
import { $, h } from '../dom';
import { t, type StringKey } from '../i18n';
import { codesOf, label } from '../labels';
import '../strings/desk';

// Shared by the desk's service pages (consultations, coaching, assisted applications).

export const field = (id: string) => document.getElementById(id) as HTMLInputElement;
export const digits = (v: string) => v.replace(/\D/g, '');

/** Typing a USCC fills the company's name from its earlier requests or the desk's records (GET /api/companies/:uscc). */
export function mountUsccLookup(): void {
  const input = field('f-uscc');
  const note = $('#f-uscc-note');
  input.addEventListener('input', async () => {
    const v = input.value.trim().toUpperCase();
    note.textContent = '';
    if (v.length !== 18) return;
    try {
      const c = await api<{ name: string; district: string | null; industry: string | null }>('GET', `/api/companies/${encodeURIComponent(v)}`);
      if (!field('f-name').value) field('f-name').value = c.name;
      const d = document.getElementById('p-district') as HTMLSelectElement | null;
      if (d && c.district) d.value = c.district;
      const i = document.getElementById('p-industry') as HTMLInputElement | null;
      if (i && c.industry) i.value = c.industry;
      note.textContent = t('svc.found', { name: c.name });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) note.textContent = t('svc.notFound');
    }
  });
}

export function fillDistricts(): void {
  const d = document.getElementById('p-district');
  if (d) d.replaceChildren(...codesOf('district').map((c) => h('option', { value: c }, label('district', c))));
}

export function fillSelect(id: string, values: readonly string[], prefix: string, any = false): void {
  const el = $(`#${id}`) as HTMLSelectElement;
  const keep = el.value;
  el.replaceChildren(...(any ? [h('option', { value: '' }, t('svc.any'))] : []), ...values.map((v) => h('option', { value: v }, t(`${prefix}.${v}` as StringKey))));
  if (keep) el.value = keep;
}

/** The company profile and need from the shared profile fields (what /api/match and /apply take). */
export function readProfile() {
  const num = (id: string) => Number(digits(field(id).value));
  const company: Record<string, unknown> = {
    uscc: field('f-uscc').value.trim().toUpperCase(), name: field('f-name').value.trim(),
    district: (document.getElementById('p-district') as HTMLSelectElement).value, industry: field('p-industry').value.trim().toUpperCase(),
    establishedOn: field('p-established').value, employees: num('p-employees'), annualRevenue: num('p-revenue'),
    taxRating: (document.getElementById('p-tax') as HTMLSelectElement).value, hasBankLoan: field('p-loan').checked,
    overdueCount: num('p-overdue'), collateral: ['none'], guaranteeAvailable: false,
  };
  if (digits(field('p-assets').value)) company.totalAssets = num('p-assets');
  const need = { amount: num('p-amount'), termMonths: num('p-term'), purpose: field('p-purpose').value.trim() };
  return { company, need };
}

export interface MatchResult {
  product: { id: number; bankId: number; bankName: string; name: string };
  eligible: boolean;
  reasons: { criterion: string; status: string; message: { zh?: string; en?: string }; hint?: { zh?: string; en?: string } }[];
}

export async function matchProfile(company: Record<string, unknown>, need: Record<string, unknown>): Promise<MatchResult[]> {
  return (await api<{ results: MatchResult[] }>('POST', '/api/match', { company, need, limit: 1000, lang: 'zh' })).results;
}

/** Shows a failed call's field errors in the #error banner, each naming its field. */
export function showProblem(err: unknown): void {
  const box = $('#error');
  if (err instanceof ApiError) {
    const errors = (err.problem.errors as { path: string; message: string }[] | undefined) ?? [];
    box.textContent = [String(err.problem.detail ?? err.code), ...errors.map((e) => `${e.path}: ${e.message}`)].join(' · ');
  } else box.textContent = String(err);
  box.hidden = false;
}

export const shanghaiTime = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
