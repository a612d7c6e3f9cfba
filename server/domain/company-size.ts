import table from './data/sme-thresholds.json' with { type: 'json' };

export type CompanySizeClass = 'micro' | 'small' | 'medium' | 'large';
type Metric = 'Y' | 'R' | 'A';
type Bounds = Partial<Record<Metric, number>>;

interface SizeRow {
  name: string;
  industries: string[];
  sme: Bounds;
  medium: Bounds;
  small: Bounds;
}

const rows = table.rows as SizeRow[];
const other = rows.find((r) => r.industries.length === 0)!;

/** The MIIT row for a GB/T 4754 code: the longest listed prefix wins; a bare section with sub-rows (G, I, K, F) is "other". */
export function sizeRowFor(industry: string): SizeRow {
  let best: SizeRow = other;
  let bestLength = 0;
  for (const row of rows) {
    for (const prefix of row.industries) {
      if (industry.startsWith(prefix) && prefix.length > bestLength) {
        best = row;
        bestLength = prefix.length;
      }
    }
  }
  return best;
}

/** True when the industry's row uses total assets, so size cannot be told without them. */
export function sizeNeedsAssets(industry: string): boolean {
  const row = sizeRowFor(industry);
  return [row.sme, row.medium, row.small].some((b) => b.A !== undefined);
}

export interface SizeInput {
  industry: string;
  employees: number;
  /** Annual revenue in CNY. */
  revenue: number;
  /** Total assets in CNY; where the row needs them and they are absent they count as 0 (the smallest class). */
  assets?: number;
}

/** Figures compared in whole CNY against bounds given in 万元, so no float ever decides a class. */
function figure(input: SizeInput, metric: Metric): number {
  if (metric === 'Y') return input.employees;
  if (metric === 'R') return input.revenue;
  return input.assets ?? 0;
}
const bound = (metric: Metric, value: number) => (metric === 'Y' ? value : value * 10_000);

const meetsAll = (input: SizeInput, b: Bounds) =>
  (Object.entries(b) as [Metric, number][]).every(([m, v]) => figure(input, m) >= bound(m, v));
const underAny = (input: SizeInput, b: Bounds) =>
  (Object.entries(b) as [Metric, number][]).some(([m, v]) => figure(input, m) < bound(m, v));

/**
 * Company size by 工信部联企业〔2011〕300号: large unless under the SME ceiling; under it, medium if it
 * meets both medium bounds, else small if it meets both small bounds, else micro.
 */
export function companySize(input: SizeInput): CompanySizeClass {
  const row = sizeRowFor(input.industry);
  if (!underAny(input, row.sme)) return 'large';
  if (meetsAll(input, row.medium)) return 'medium';
  if (meetsAll(input, row.small)) return 'small';
  return 'micro';
}
