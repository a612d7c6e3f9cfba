/**
 * Working days in mainland China: Monday–Friday, except the State Council's public holidays, plus
 * its make-up working weekends (调休). Every answer is about Asia/Shanghai calendar days, whatever the
 * server's time zone. Each year is a data file (server/domain/data/holidays/YYYY.json; the start loads
 * config's HOLIDAYS_DIR over them with `loadCalendarDir`): a date in a year without one is an error, not a guess.
 *
 * SLA clocks run only on working days: working time is the part of an interval that falls on working
 * days, counted in whole 24-hour days. A Friday 10:00 request given one working day is due Saturday
 * 10:00 if that Saturday is a make-up working day, else Monday 10:00; one sent on Saturday starts at
 * the next working day's first moment and is due at that day's end.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { rootDir } from '../paths';

const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;

interface YearData {
  year: number;
  holidays: string[];
  workdays: string[];
}

const years = new Map<number, { holidays: Set<string>; workdays: Set<string> }>();

/** Loads every YYYY.json in a folder; later folders override earlier ones for the same year. */
export function loadCalendarDir(dir: string): void {
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir).filter((f) => /^\d{4}\.json$/.test(f)).sort()) {
    const data = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as YearData;
    years.set(data.year, { holidays: new Set(data.holidays), workdays: new Set(data.workdays) });
  }
}

loadCalendarDir(path.join(rootDir, 'server', 'domain', 'data', 'holidays'));

export class CalendarGapError extends RangeError {
  override name = 'CalendarGapError';
}

/** Day number since the epoch of a Shanghai calendar day, and its YYYY-MM-DD. */
const dayOf = (localMs: number) => Math.floor(localMs / DAY);
const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

function isWorkingDayNumber(day: number): boolean {
  const iso = isoOf(day);
  const year = years.get(Number(iso.slice(0, 4)));
  if (!year) throw new CalendarGapError(`no holiday schedule for ${iso.slice(0, 4)}: add server/domain/data/holidays/${iso.slice(0, 4)}.json (or a file in HOLIDAYS_DIR)`);
  if (year.workdays.has(iso)) return true;
  if (year.holidays.has(iso)) return false;
  const weekday = new Date(day * DAY).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** Whether the Shanghai calendar day of this instant is a working day. */
export function isWorkingDay(date: Date): boolean {
  return isWorkingDayNumber(dayOf(date.getTime() + SHANGHAI));
}

/** `start` plus `ms` of working time (negative: earlier), counting only time on working days. */
export function addWorkingMs(start: Date, ms: number): Date {
  let cursor = start.getTime() + SHANGHAI;
  let remaining = ms;
  if (remaining >= 0) {
    while (true) {
      const day = dayOf(cursor);
      const end = (day + 1) * DAY;
      if (isWorkingDayNumber(day)) {
        if (remaining <= end - cursor) return new Date(cursor + remaining - SHANGHAI);
        remaining -= end - cursor;
      }
      cursor = end;
    }
  }
  remaining = -remaining;
  while (true) {
    // The day the instant just before `cursor` belongs to.
    const day = dayOf(cursor - 1);
    const begin = day * DAY;
    if (isWorkingDayNumber(day)) {
      if (remaining <= cursor - begin) return new Date(cursor - remaining - SHANGHAI);
      remaining -= cursor - begin;
    }
    cursor = begin;
  }
}

/** `start` plus whole (or fractional) working days. */
export function addWorkingTime(start: Date, workingDays: number): Date {
  return addWorkingMs(start, workingDays * DAY);
}

/** Working time between two instants, in hours (negative when b is before a). */
export function workingHoursBetween(a: Date, b: Date): number {
  if (b < a) return -workingHoursBetween(b, a);
  let total = 0;
  let cursor = a.getTime() + SHANGHAI;
  const stop = b.getTime() + SHANGHAI;
  while (cursor < stop) {
    const day = dayOf(cursor);
    const end = Math.min((day + 1) * DAY, stop);
    if (isWorkingDayNumber(day)) total += end - cursor;
    cursor = end;
  }
  return total / 3_600_000;
}
