import type { Response } from 'express';
import { CsvSyntaxError, decodeText, numberText, readCsv, writeCsv } from '../../server/csv';
import { ValidationError, type FieldError } from '../../server/errors';
import { readXlsx, isZip, writeXlsx, XLSX_TYPE, XlsxReadError } from '../../server/xlsx';
import { MAX_IMPORT_ROWS } from '../../server/commands/import-products';
import type { ProductRowInput } from './schema';

/**
 * The CSV and .xlsx layout of product files. Enumerations are `|`-separated; materials and criteria, which are
 * free-form, travel as JSON. The header row names the columns; their order does not matter on import.
 */
export const csvColumns = [
  'bankCode', 'code', 'status', 'name', 'type', 'amountMin', 'amountMax', 'termMinMonths', 'termMaxMonths',
  'rateMin', 'rateMax', 'repaymentMethods', 'guaranteeTypes', 'approvalDays', 'firstLoanFriendly',
  'description', 'materials', 'criteria',
] as const;

function cellsOf(r: ProductRowInput) {
  return {
    text: [r.bankCode, r.code, r.status, r.name, r.type] as const,
    numbers: [r.amount.min, r.amount.max, r.termMonths.min, r.termMonths.max] as const,
    rest: [r.repaymentMethods.join('|'), r.guaranteeTypes.join('|'), r.approvalDays, r.firstLoanFriendly, r.description, JSON.stringify(r.materials), JSON.stringify(r.criteria)] as const,
  };
}

/** UTF-8 CSV with a BOM; names and descriptions pass the formula guard, amounts and rates stay numbers. */
export function productsToCsv(rows: ProductRowInput[]): string {
  return writeCsv([
    [...csvColumns],
    ...rows.map((r) => {
      const c = cellsOf(r);
      return [...c.text, ...c.numbers, numberText(r.rate.min.toFixed(2)), numberText(r.rate.max.toFixed(2)), ...c.rest];
    }),
  ]);
}

/** The same columns as a workbook, with typed cells. */
export function productsToXlsx(rows: ProductRowInput[]): Promise<Buffer> {
  return writeXlsx('products', [
    [...csvColumns],
    ...rows.map((r) => {
      const c = cellsOf(r);
      return [...c.text, ...c.numbers, r.rate.min, r.rate.max, ...c.rest];
    }),
  ]);
}

/** Sends the export file in the asked format (`csv` or `xlsx`). */
export async function sendProductFile(res: Response, format: 'csv' | 'xlsx', rows: ProductRowInput[]): Promise<void> {
  if (format === 'xlsx') res.type(XLSX_TYPE).send(await productsToXlsx(rows));
  else res.type('text/csv; charset=utf-8').send(productsToCsv(rows));
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

/** Records (header first) of an uploaded file → raw rows; structural problems (no header, unknown columns) are errors. */
function recordsToRows(records: string[][]): { rows: Record<string, unknown>[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const [header, ...data] = records;
  if (!header || !header.includes('code')) return { rows: [], errors: [{ path: 'body', message: `the first line must be a header naming the columns: ${csvColumns.join(',')}` }] };
  const unknown = header.filter((h) => !(csvColumns as readonly string[]).includes(h));
  if (unknown.length) errors.push({ path: 'header', message: `unknown columns: ${unknown.join(', ')}` });
  const rows = data.map((record, i) => recordToRow(header, record, i + 1, errors));
  return { rows, errors };
}

/** Parses import CSV text into raw rows. */
export function csvToRows(text: string): { rows: Record<string, unknown>[]; errors: FieldError[] } {
  try {
    return recordsToRows(readCsv(text));
  } catch (err) {
    if (err instanceof CsvSyntaxError) return { rows: [], errors: [{ path: 'body', message: `the CSV is malformed: ${err.message}` }] };
    throw err;
  }
}

/**
 * An uploaded file (the raw bytes of a CSV in UTF-8 or GB18030, or an .xlsx workbook) → raw rows. Bytes that
 * decode in neither encoding are a 400 naming the row they are in, before anything is read.
 */
export async function fileToRows(bytes: Uint8Array): Promise<{ rows: Record<string, unknown>[]; errors: FieldError[] }> {
  if (isZip(bytes)) {
    try {
      return recordsToRows(await readXlsx(bytes, MAX_IMPORT_ROWS + 1));
    } catch (err) {
      if (err instanceof XlsxReadError) return { rows: [], errors: [{ path: err.path, message: err.message }] };
      throw err;
    }
  }
  const decoded = decodeText(bytes);
  if ('badRecord' in decoded) {
    const n = decoded.badRecord;
    const where = n === 0 ? { path: 'header', message: 'the header line' } : { row: n, path: `rows.${n}`, message: `row ${n}` };
    throw new ValidationError([{ ...where, message: `${where.message} holds bytes that are neither UTF-8 nor GB18030 (GBK); save the file as CSV UTF-8 and try again` }],
      { detail: 'The import was not applied: the file could not be read; nothing was changed.' });
  }
  return csvToRows(decoded.text);
}

/** The media types the import reads as a file (its bytes, decoded by fileToRows). */
export const importTypes = ['text/csv', 'text/plain', XLSX_TYPE, 'application/octet-stream'];
