import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * The one home of CSV: every CSV the service writes or reads goes through here (csv-stringify / csv-parse),
 * and so through one formula guard.
 */

/**
 * A cell a spreadsheet would run as a formula (or as DDE) when the file is opened: `=`, `+`, `-`, `@`, a tab or
 * a line break first, and their full-width forms, which Excel with a CJK input method turns into the ASCII ones.
 * A leading `'` is in the set too, so that a value which itself starts with the guard still round-trips.
 */
const risky = /^['=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A number sent as text (a SQL numeric or bigint arrives as a string): written as is when it is one. */
export class NumberText {
  constructor(readonly text: string) {}
}
export const numberText = (v: unknown): NumberText | null => (v === null || v === undefined ? null : new NumberText(String(v)));
const plainNumber = /^-?\d+(\.\d+)?$/;

export type Cell = string | number | bigint | boolean | NumberText | null | undefined;

/** Text that a spreadsheet shows as text: a risky first character gets a leading `'`. */
export function neutralise(text: string): string {
  return risky.test(text) ? `'${text}` : text;
}

/** The inverse of neutralise, for imports: drops the guard only where the export put it. */
export function unguard(text: string): string {
  return text.startsWith("'") && risky.test(text.slice(1)) ? text.slice(1) : text;
}

function cellText(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof NumberText) return plainNumber.test(v.text) ? v.text : neutralise(v.text);
  return neutralise(String(v));
}

/**
 * RFC 4180 CSV, CRLF rows, UTF-8 with a BOM by default (so Excel opens Chinese correctly). Strings are
 * neutralised; numbers (and NumberText that is a number) stay numbers, so `-5` in a numeric column is `-5`.
 */
export function writeCsv(rows: Cell[][], { bom = true } = {}): string {
  return stringify(rows.map((r) => r.map(cellText)), { bom, record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

/** CSV that cannot be read: the message names the line. */
export class CsvSyntaxError extends Error {}

/** Parses CSV text (a leading BOM dropped; CRLF or LF; blank lines skipped) and removes the export's guards. */
export function readCsv(text: string): string[][] {
  try {
    const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
    return records.map((r) => r.map(unguard));
  } catch (err) {
    throw new CsvSyntaxError((err as Error).message);
  }
}

/** The text of an uploaded file, or the 1-based record (0 = the header) holding the first undecodable bytes. */
export type Decoded = { text: string; encoding: 'utf-8' | 'gb18030' } | { badRecord: number };

/** Byte offset of the first sequence the encoding cannot decode, or -1 when all of it decodes. */
function firstBadByte(bytes: Uint8Array, encoding: string): number {
  const decoder = new TextDecoder(encoding, { fatal: true });
  try {
    decoder.decode(bytes);
    return -1;
  } catch {
    // Lines end in 0x0A in both encodings (never a trail byte), so the first bad line is found line by line.
    let start = 0;
    while (start < bytes.length) {
      let end = bytes.indexOf(0x0a, start);
      end = end < 0 ? bytes.length : end + 1;
      try {
        new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(start, end));
      } catch {
        return start;
      }
      start = end;
    }
    return 0;
  }
}

/** How many non-blank records end before `text` ends (line breaks inside quotes do not end one). */
function recordsIn(text: string): number {
  let n = 0;
  let quoted = false;
  let content = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    if (c === '\n' && !quoted) {
      if (content) n++;
      content = false;
    } else if (c !== '\r' && c !== '\uFEFF') content = true;
  }
  return n;
}

/** Length of the well-formed UTF-8 sequence of 2–4 bytes starting at `i`, or 0 when there is none. */
function utf8SequenceAt(b: Uint8Array, i: number): number {
  const lead = b[i]!;
  const cont = (k: number) => i + k < b.length && (b[i + k]! & 0xc0) === 0x80;
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const second = b[i + 1] ?? 0;
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f)) return 0; // overlong, surrogate
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const second = b[i + 1] ?? 0;
    if ((lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * Whether bytes that are not all valid UTF-8 are nonetheless UTF-8 with some damage: at least nine in ten of
 * their non-ASCII bytes belong to well-formed UTF-8 sequences. GB18030 text almost never does (its trail
 * bytes are rarely UTF-8 continuation bytes in the right places), so such a file is not re-read as GB18030,
 * which would turn the whole of it into mojibake without a single error.
 */
function looksLikeDamagedUtf8(bytes: Uint8Array): boolean {
  let inSequences = 0;
  let stray = 0;
  for (let i = 0; i < bytes.length;) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const n = utf8SequenceAt(bytes, i);
    if (n > 0) {
      inSequences += n;
      i += n;
    } else {
      stray++;
      i++;
    }
  }
  return inSequences >= 9 * stray;
}

/**
 * Decodes an uploaded text file: UTF-8 (with or without BOM), else GB18030 (which covers GBK, what Excel on
 * Chinese Windows saves). A file neither decodes names the record where the better of the two first fails
 * (for a file with a UTF-8 BOM, or one that is nearly all well-formed UTF-8, where UTF-8 fails).
 */
export function decodeText(bytes: Uint8Array): Decoded {
  const utf8 = firstBadByte(bytes, 'utf-8');
  if (utf8 < 0) return { text: new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  // A BOM says UTF-8 (Excel's "CSV UTF-8"), and so does text that is nearly all well-formed UTF-8: its bad
  // bytes are damage, not a sign of GB18030.
  if ((bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) || looksLikeDamagedUtf8(bytes)) return { badRecord: recordsIn(new TextDecoder('utf-8').decode(bytes.subarray(0, utf8))) };
  const gb = firstBadByte(bytes, 'gb18030');
  if (gb < 0) return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  const [at, encoding] = gb >= utf8 ? [gb, 'gb18030'] : [utf8, 'utf-8'];
  return { badRecord: recordsIn(new TextDecoder(encoding).decode(bytes.subarray(0, at))) };
}
