import lprTable from './data/lpr.json' with { type: 'json' };

/** One-year Loan Prime Rate in force from a date, in basis points (300 = 3.00%). */
export interface LprEntry {
  from: string;
  bp: number;
}

const table: LprEntry[] = [...lprTable].sort((a, b) => a.from.localeCompare(b.from));

/** Asia/Shanghai is always UTC+8 (China keeps no daylight saving). */
export const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** `YYYY-MM-DD` of an instant in Asia/Shanghai, whatever the server's time zone. */
export function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The 1-year LPR in force on a date (a `YYYY-MM-DD` string is taken as a Shanghai calendar day). */
export function lprOn(date: Date | string): { ratePct: number; bp: number; since: string } {
  const day = typeof date === 'string' ? date : shanghaiDate(date);
  let found: LprEntry | undefined;
  for (const e of table) if (e.from <= day) found = e;
  if (!found) throw new RangeError(`no LPR is recorded for ${day}; the table starts on ${table[0]!.from}`);
  return { ratePct: found.bp / 100, bp: found.bp, since: found.from };
}

/** A rate given in percent with two decimals, as whole basis points (exact: no float drift). */
export function toBp(ratePct: number | string): number {
  return Math.round(Number(ratePct) * 100);
}

/** Spread of a rate over the LPR in force on a date, in whole basis points (5.16% in 2021 → 131). */
export function spreadBp(ratePct: number | string, on: Date | string): number {
  return toBp(ratePct) - lprOn(on).bp;
}
