import { Engine, type TopLevelCondition } from 'json-rules-engine';
import type { Facts } from '../../matchers/facts';
import type { MatchProduct } from '../../matchers/matcher';

/**
 * The same criteria written as json-rules-engine rules: an independent oracle for eligibility. It
 * knows only the SPEC's boundary rules (inclusive bounds, prefix industries, any-of collateral).
 */
export function conditionsOf(p: MatchProduct): TopLevelCondition {
  const c = p.criteria;
  const all: { fact: string; operator: string; value: unknown }[] = [];
  if (c.districts?.length) all.push({ fact: 'district', operator: 'in', value: c.districts });
  if (c.industriesInclude?.length) all.push({ fact: 'industry', operator: 'startsWithAny', value: c.industriesInclude });
  if (c.industriesExclude?.length) all.push({ fact: 'industry', operator: 'startsWithNone', value: c.industriesExclude });
  if (c.minYearsInOperation) all.push({ fact: 'monthsInOperation', operator: 'greaterThanInclusive', value: Math.round(c.minYearsInOperation * 12) });
  if (c.annualRevenue?.min !== undefined) all.push({ fact: 'revenue', operator: 'greaterThanInclusive', value: c.annualRevenue.min });
  if (c.annualRevenue?.max !== undefined) all.push({ fact: 'revenue', operator: 'lessThanInclusive', value: c.annualRevenue.max });
  if (c.employees?.min !== undefined) all.push({ fact: 'employees', operator: 'greaterThanInclusive', value: c.employees.min });
  if (c.employees?.max !== undefined) all.push({ fact: 'employees', operator: 'lessThanInclusive', value: c.employees.max });
  if (c.sizes?.length) all.push({ fact: 'size', operator: 'in', value: c.sizes });
  if (c.taxRatings?.length) all.push({ fact: 'taxRating', operator: 'in', value: c.taxRatings });
  if (c.maxOverdueCount !== undefined) all.push({ fact: 'overdueCount', operator: 'lessThanInclusive', value: c.maxOverdueCount });
  if (c.collateralAnyOf?.length) all.push({ fact: 'collateral', operator: 'intersects', value: c.collateralAnyOf });
  if (c.requiresGuarantee) all.push({ fact: 'guaranteeAvailable', operator: 'equal', value: true });
  if (c.firstLoanOnly) all.push({ fact: 'hasBankLoan', operator: 'equal', value: false });
  if (c.certificationsAnyOf?.length) all.push({ fact: 'certifications', operator: 'intersects', value: c.certificationsAnyOf });
  all.push({ fact: 'amount', operator: 'greaterThanInclusive', value: p.amount.min });
  all.push({ fact: 'amount', operator: 'lessThanInclusive', value: p.amount.max });
  all.push({ fact: 'termMonths', operator: 'greaterThanInclusive', value: p.termMonths.min });
  all.push({ fact: 'termMonths', operator: 'lessThanInclusive', value: p.termMonths.max });
  return { all };
}

/** One engine holding a rule per product; `eligibleIds` runs it for one company. */
export function rulesEngine(products: MatchProduct[]) {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator('startsWithAny', (fact: unknown, value: string[]) => typeof fact === 'string' && value.some((v) => fact.startsWith(v)));
  engine.addOperator('startsWithNone', (fact: unknown, value: string[]) => typeof fact === 'string' && !value.some((v) => fact.startsWith(v)));
  engine.addOperator('intersects', (fact: unknown, value: string[]) => Array.isArray(fact) && fact.some((v) => value.includes(v)));
  for (const p of products) engine.addRule({ conditions: conditionsOf(p), event: { type: 'eligible', params: { id: p.id } } });
  return {
    async eligibleIds(f: Facts): Promise<Set<number>> {
      const { events } = await engine.run({ ...f });
      return new Set(events.map((e) => (e.params as { id: number }).id));
    },
  };
}
