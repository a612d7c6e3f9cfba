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

/** The first worksheet as rows of text, at most `maxRows` (blank rows skipped). */
export async function readXlsx(bytes: Uint8Array, maxRows: number): Promise<string[][]> {
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
