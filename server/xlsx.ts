import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';

/** The media type of an Excel workbook. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type SheetCell = string | number | boolean | null | undefined;

/**
 * One worksheet of typed cells: text stays a text cell (a spreadsheet never runs it as a formula, so it needs
 * no guard), numbers stay numbers. The first row is bold, as a header.
 */
export async function writeXlsx(sheetName: string, rows: SheetCell[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow(row.map((v) => (v === undefined ? null : v)));
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Whether bytes are a zip archive (an .xlsx file) rather than text. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Text of a cell as a person sees it (rich text joined, a formula's cached result, a hyperlink's text). */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('hyperlink' in v) return cellText(v.text as ExcelJS.CellValue);
  if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
  if ('error' in v) return '';
  return String(v);
}

/** A workbook that cannot be read; `path` is `body`, or the row and column (`rows.3.name`) of a cell that cannot. */
export class XlsxReadError extends Error {
  constructor(message: string, readonly path = 'body') {
    super(message);
  }
}

/** What an uploaded workbook may unpack to: a 5,000-row catalogue is a few MB; a zip bomb is not let near exceljs. */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
/** The widest sheet read: the product layout has 18 columns. */
export const MAX_XLSX_COLUMNS = 64;

const broken = (what: string) => new XlsxReadError(`not a readable .xlsx workbook (${what})`);

/**
 * Inflates every entry of the archive against one budget (the sizes a zip declares can lie), so that
 * exceljs, which unpacks everything into memory, only ever sees an archive of bounded size. The entries are
 * the ones JSZip (inside exceljs) reads: every central-directory header from the directory's offset on, however
 * many the end record counts, so the end record must count exactly those, end where the directory ends, and
 * name no entry twice; zip64 (which a catalogue never needs) is refused.
 */
function checkUnpackedSize(bytes: Uint8Array): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) throw broken('no zip directory');
  const fields = [4, 6, 8, 10].map((o) => buf.readUInt16LE(eocd + o));
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (fields.includes(0xffff) || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw broken('zip64');
  if (fields[0] !== 0 || fields[1] !== 0 || fields[2] !== fields[3]) throw broken('multi-part zip');
  if (cdOffset + cdSize !== eocd) throw broken('the zip directory does not end where its end record is');
  const names = new Set<string>();
  let budget = MAX_UNPACKED_BYTES;
  let at = cdOffset;
  while (at + 46 <= buf.length && buf.readUInt32LE(at) === 0x02014b50) {
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const packed = buf.readUInt32LE(at + 20);
    const unpacked = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('latin1', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (names.has(name)) throw broken(`the entry ${name} appears twice`);
    names.add(name);
    if (flags & 1) throw broken('encrypted');
    if (packed === 0xffffffff || unpacked === 0xffffffff || local === 0xffffffff) throw broken('zip64');
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw broken('broken zip entry');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + packed > buf.length) throw broken('broken zip entry');
    const data = buf.subarray(start, start + packed);
    let size: number;
    try {
      if (method === 0) size = data.length;
      else if (method === 8) size = inflateRawSync(data, { maxOutputLength: budget + 1 }).length;
      else throw broken(`zip method ${method}`);
    } catch (err) {
      if (err instanceof XlsxReadError) throw err;
      throw err instanceof RangeError ? new XlsxReadError('the workbook unpacks to more than 64 MB') : broken('broken zip data');
    }
    budget -= size;
    if (budget < 0) throw new XlsxReadError('the workbook unpacks to more than 64 MB');
  }
  if (at !== eocd) throw broken('broken zip directory');
  if (names.size !== fields[3]) throw broken(`the zip directory holds ${names.size} entries, its end record counts ${fields[3]}`);
}

/** Spreadsheet letters of a 1-based column number (1 → A, 27 → AA). */
const columnName = (n: number): string => (n > 26 ? columnName(Math.floor((n - 1) / 26)) : '') + String.fromCharCode(65 + ((n - 1) % 26));

/**
 * The first worksheet as rows of text, at most `maxRows` (blank rows skipped). Only stored cells are visited,
 * and only those within the header's width; a sheet wider than MAX_XLSX_COLUMNS or taller than `maxRows`
 * plus its header is refused before any row is read.
 */
export async function readXlsx(bytes: Uint8Array, maxRows: number): Promise<string[][]> {
  checkUnpackedSize(bytes);
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw broken((err as Error).message);
  }
  const sheet = book.worksheets[0];
  if (!sheet) return [];
  // Both are read without visiting cells: a row's count is the number of its last column.
  const right = sheet.columnCount;
  const bottom = sheet.rowCount;
  if (right > MAX_XLSX_COLUMNS) throw new XlsxReadError(`the sheet is ${right} columns wide (up to column ${columnName(right)}); at most ${MAX_XLSX_COLUMNS} are read`);
  if (bottom > maxRows + 1) throw new XlsxReadError(`the sheet reaches row ${bottom}; at most ${maxRows} rows and a header are read`);
  const rows: string[][] = [];
  let width = 0;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    if (rows.length > maxRows) return;
    const cells: string[] = Array.from({ length: rows.length === 0 ? 0 : width }, () => '');
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (rows.length > 0 && col > width) return;
      const value = cell.value;
      if (value instanceof Date && Number.isNaN(value.getTime())) {
        const header = rows[0]?.[col - 1] || columnName(col);
        throw new XlsxReadError(`row ${rows.length}: the ${header} cell (${columnName(col)}${row.number}) holds a date no calendar has`, `rows.${rows.length}.${header}`);
      }
      cells[col - 1] = cellText(value);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    if (cells.some((c) => c !== '')) {
      if (rows.length === 0) width = cells.length;
      rows.push(cells);
    }
  });
  return rows;
}
