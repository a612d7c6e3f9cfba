import { parseCsv, toCsv } from '../../server/csv';
import type { FieldError } from '../../server/errors';
import type { ProductRowInput } from './schema';

/**
 * The CSV layout of product files. Enumerations are `|`-separated; materials and criteria, which are
 * free-form, travel as JSON. The header row names the columns; their order does not matter on import.
 */
export const csvColumns = [
  'bankCode', 'code', 'status', 'name', 'type', 'amountMin', 'amountMax', 'termMinMonths', 'termMaxMonths',
  'rateMin', 'rateMax', 'repaymentMethods', 'guaranteeTypes', 'approvalDays', 'firstLoanFriendly',
  'description', 'materials', 'criteria',
] as const;

export function productsToCsv(rows: ProductRowInput[]): string {
  return toCsv([
    [...csvColumns],
    ...rows.map((r) => [
      r.bankCode, r.code, r.status, r.name, r.type, r.amount.min, r.amount.max, r.termMonths.min, r.termMonths.max,
      r.rate.min.toFixed(2), r.rate.max.toFixed(2), r.repaymentMethods.join('|'), r.guaranteeTypes.join('|'),
      r.approvalDays, r.firstLoanFriendly, r.description, JSON.stringify(r.materials), JSON.stringify(r.criteria),
    ]),
  ]);
}

/** One CSV record → the JSON row shape (still unvalidated); JSON cells that do not parse are reported. */
function recordToRow(header: string[], record: string[], rowNo: number, errors: FieldError[]): Record<string, unknown> {
  const get = (name: string) => {
    const at = header.indexOf(name);
    return at >= 0 ? record[at] : undefined;
  };
  const json = (name: string) => {
    const v = get(name);
    if (v === undefined || v.trim() === '') return undefined;
    try {
      return JSON.parse(v);
    } catch {
      errors.push({ path: `rows.${rowNo}.${name}`, message: `${name} must be JSON (row ${rowNo})` });
      return undefined;
    }
  };
  const list = (name: string) => {
    const v = get(name);
    return v === undefined || v === '' ? undefined : v.split('|').map((s) => s.trim());
  };
  const pair = (min: string, max: string) => (get(min) === undefined && get(max) === undefined ? undefined : { min: get(min), max: get(max) });
  const row: Record<string, unknown> = {
    bankCode: get('bankCode'),
    code: get('code'),
    status: get('status') || undefined,
    name: get('name'),
    type: get('type'),
    amount: pair('amountMin', 'amountMax'),
    termMonths: pair('termMinMonths', 'termMaxMonths'),
    rate: pair('rateMin', 'rateMax'),
    repaymentMethods: list('repaymentMethods'),
    guaranteeTypes: list('guaranteeTypes'),
    approvalDays: get('approvalDays'),
    firstLoanFriendly: get('firstLoanFriendly') || undefined,
    description: get('description'),
    materials: json('materials'),
    criteria: json('criteria'),
  };
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
}

/** Parses an import CSV into raw rows; structural problems (no header, unknown columns) are errors. */
export function csvToRows(text: string): { rows: Record<string, unknown>[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (err) {
    return { rows: [], errors: [{ path: 'body', message: `the CSV is malformed: ${(err as Error).message}` }] };
  }
  const [header, ...data] = records;
  if (!header || !header.includes('code')) return { rows: [], errors: [{ path: 'body', message: `the first CSV line must be a header naming the columns: ${csvColumns.join(',')}` }] };
  const unknown = header.filter((h) => !(csvColumns as readonly string[]).includes(h));
  if (unknown.length) errors.push({ path: 'header', message: `unknown columns: ${unknown.join(', ')}` });
  const rows = data.map((record, i) => recordToRow(header, record, i + 1, errors));
  return { rows, errors };
}
