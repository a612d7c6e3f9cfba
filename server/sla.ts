import { addWorkingTime, CalendarGapError, workingHoursBetween } from './domain/calendar';
import type { SlaPolicy } from '../models/sla';

const DAY = 86_400_000;

export interface Deadlines {
  acceptDueAt: Date;
  contactDueAt: Date;
  decisionDueAt: Date;
  escalateAt: Date;
}

/**
 * Monday–Friday only: used when a deadline runs into a year whose holiday schedule is not loaded yet
 * (late December), so a request is never refused for it. The desk is warned to add the schedule.
 */
function addWeekdays(start: Date, days: number): Date {
  let cursor = start.getTime() + 8 * 3_600_000;
  let remaining = days * DAY;
  while (true) {
    const day = Math.floor(cursor / DAY);
    const end = (day + 1) * DAY;
    const weekday = new Date(day * DAY).getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      if (remaining <= end - cursor) return new Date(cursor + remaining - 8 * 3_600_000);
      remaining -= end - cursor;
    }
    cursor = end;
  }
}

function add(start: Date, days: number, onGap: (err: CalendarGapError) => void): Date {
  try {
    return addWorkingTime(start, days);
  } catch (err) {
    if (!(err instanceof CalendarGapError)) throw err;
    onGap(err);
    return addWeekdays(start, days);
  }
}

/** A decision may be corrected (`amend`) for this many working days after it was recorded (SPEC). */
export const AMEND_WORKING_DAYS = 2;

/** The end of the window in which a decision may be amended. */
export function amendDueAt(decidedAt: Date): Date {
  return add(decidedAt, AMEND_WORKING_DAYS, () => {});
}

/** A lead's deadlines from its creation under a policy, on the working-day calendar. */
export function deadlinesFor(createdAt: Date, p: SlaPolicy, onGap: (err: CalendarGapError) => void = () => {}): Deadlines {
  const acceptDueAt = add(createdAt, p.acceptDays, onGap);
  return {
    acceptDueAt,
    contactDueAt: add(createdAt, p.contactDays, onGap),
    decisionDueAt: add(createdAt, p.decisionDays, onGap),
    escalateAt: add(acceptDueAt, p.escalateDays, onGap),
  };
}

export interface Span {
  workingHours: number;
  calendarHours: number;
}

/** Working and calendar hours between two moments (working hours NaN past the loaded calendars). */
export function span(from: Date, to: Date | null): Span | null {
  if (!to) return null;
  let working: number;
  try {
    working = workingHoursBetween(from, to);
  } catch {
    working = NaN;
  }
  const round = (h: number) => Math.round(h * 100) / 100;
  return { workingHours: round(working), calendarHours: round((to.getTime() - from.getTime()) / 3_600_000) };
}

/** How long the bank took, from the request: to accept, to first contact, to decide. */
export function responseTimes(l: { createdAt: Date; claimedAt: Date | null; contactedAt: Date | null; decidedAt: Date | null }) {
  return { accept: span(l.createdAt, l.claimedAt), contact: span(l.createdAt, l.contactedAt), decision: span(l.createdAt, l.decidedAt) };
}
