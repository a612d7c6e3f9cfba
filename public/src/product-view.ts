import type { ProductFields } from '../../models/products';
import { h } from './dom';
import { currentLang, t } from './i18n';
import { label, moneyAmount, moneyRange, monthsRange, rateRange, spreadRange } from './labels';
import './strings/catalogue';

/** A product as GET /api/products answers it (the fields pages use). */
export type Product = ProductFields & {
  id: number;
  bankId: number;
  bankName: string;
  bankShortName: string;
  code: string;
  rateSpreadBp: { min: number; max: number };
};

const sep = () => (currentLang() === 'en' ? ', ' : '、');

/** The product's eligibility criteria as plain sentences. */
export function conditionsOf(p: Product): string[] {
  const c = p.criteria;
  const out: string[] = [];
  const list = (items: string[]) => items.join(sep());
  if (c.firstLoanOnly) out.push(t('cond.firstLoanOnly'));
  if (c.minYearsInOperation) out.push(t('cond.years', { n: String(c.minYearsInOperation) }));
  if (c.taxRatings?.length) out.push(t('cond.tax', { list: c.taxRatings.join('/') }));
  if (c.maxOverdueCount !== undefined) out.push(c.maxOverdueCount === 0 ? t('cond.overdueNone') : t('cond.overdue', { n: String(c.maxOverdueCount) }));
  if (c.annualRevenue?.min !== undefined) out.push(t('cond.revenueMin', { amount: moneyAmount(c.annualRevenue.min) }));
  if (c.annualRevenue?.max !== undefined) out.push(t('cond.revenueMax', { amount: moneyAmount(c.annualRevenue.max) }));
  if (c.employees) out.push(t('cond.employees', { range: `${c.employees.min ?? 0}–${c.employees.max ?? '∞'}` }));
  if (c.sizes?.length) out.push(t('cond.sizes', { list: list(c.sizes.map((s) => label('size', s))) }));
  if (c.districts?.length) out.push(t('cond.districts', { list: list(c.districts.map((d) => label('district', d))) }));
  if (c.industriesInclude?.length) out.push(t('cond.industries', { list: c.industriesInclude.join(', ') }));
  if (c.industriesExclude?.length) out.push(t('cond.industriesExclude', { list: c.industriesExclude.join(', ') }));
  if (c.collateralAnyOf?.length) out.push(t('cond.collateral', { list: list(c.collateralAnyOf.map((k) => label('collateral', k))) }));
  if (c.requiresGuarantee) out.push(t('cond.guarantee'));
  if (c.certificationsAnyOf?.length) out.push(t('cond.certifications', { list: c.certificationsAnyOf.map((k) => label('certification', k)).join(currentLang() === 'en' ? ' or ' : '或') }));
  return out;
}

function fact(term: string, ...value: (Node | string)[]) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, ...value));
}

/** The key terms of a product as a definition list (cards and comparison share it). */
export function factsOf(p: Product): HTMLElement {
  return h('dl', { class: 'facts' },
    fact(t('cat.amount'), moneyRange(p.amount)),
    fact(t('cat.term'), monthsRange(p.termMonths)),
    fact(t('cat.rate'), rateRange(p.rate), h('small', { class: 'spread' }, spreadRange(p.rateSpreadBp))),
    fact(t('cat.approval'), t('cat.approvalDays', { n: String(p.approvalDays) })),
    fact(t('cat.guarantee'), p.guaranteeTypes.map((g) => label('guarantee', g)).join(sep())),
  );
}
