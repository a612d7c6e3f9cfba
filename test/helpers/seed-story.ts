import { hardwareMaker } from './applications';

/** A calendar day `years` before today (UTC), as `YYYY-MM-DD`. */
function yearsAgo(years: number, today = new Date()): string {
  const d = new Date(today);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

/**
 * The seed story as issue 17 tells it: a hardware maker in 高要区 (C33, 60 staff, 1,200万 revenue,
 * 5 years old, never borrowed) that does not know its tax rating, asking 400万 for 12 months.
 */
export function seedStoryCompany(overrides: Record<string, unknown> = {}) {
  return hardwareMaker({
    district: '441204', industry: 'C33', employees: 60, annualRevenue: 12_000_000, establishedOn: yearsAgo(5),
    taxRating: 'unknown', hasBankLoan: false, overdueCount: 0, ...overrides,
  });
}

export const seedStoryNeed = { amount: 4_000_000, termMonths: 12, purpose: '采购原材料' };
