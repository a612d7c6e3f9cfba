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

/** A workbook that cannot be read. */
export class XlsxReadError extends Error {}

/** What an uploaded workbook may unpack to: a 5,000-row catalogue is a few MB; a zip bomb is not let near exceljs. */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

/**
 * Inflates every entry of the archive against one budget (the sizes a zip declares can lie), so that
 * exceljs, which unpacks everything into memory, only ever sees an archive of bounded size.
 */
function checkUnpackedSize(bytes: Uint8Array): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) throw new XlsxReadError('not a readable .xlsx workbook (no zip directory)');
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  let budget = MAX_UNPACKED_BYTES;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw new XlsxReadError('not a readable .xlsx workbook (broken zip directory)');
    const method = buf.readUInt16LE(at + 10);
    const packed = buf.readUInt32LE(at + 20);
    const local = buf.readUInt32LE(at + 42);
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw new XlsxReadError('not a readable .xlsx workbook (broken zip entry)');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + packed);
    let size: number;
    try {
      if (method === 0) size = data.length;
      else if (method === 8) size = inflateRawSync(data, { maxOutputLength: budget + 1 }).length;
      else throw new XlsxReadError(`not a readable .xlsx workbook (zip method ${method})`);
    } catch (err) {
      if (err instanceof XlsxReadError) throw err;
      throw new XlsxReadError(err instanceof RangeError ? 'the workbook unpacks to more than 64 MB' : 'not a readable .xlsx workbook (broken zip data)');
    }
    budget -= size;
    if (budget < 0) throw new XlsxReadError('the workbook unpacks to more than 64 MB');
  }
}

/** The first worksheet as rows of text, at most `maxRows` (blank rows skipped). */
export async function readXlsx(bytes: Uint8Array, maxRows: number): Promise<string[][]> {
  checkUnpackedSize(bytes);
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new XlsxReadError(`not a readable .xlsx workbook (${(err as Error).message})`);
  }
  const sheet = book.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    if (rows.length > maxRows) return;
    const cells: string[] = [];
    for (let i = 1; i <= row.cellCount; i++) cells.push(cellText(row.getCell(i).value));
    if (cells.some((c) => c !== '')) rows.push(cells);
  });
  return rows;
}
