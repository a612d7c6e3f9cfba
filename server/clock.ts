/** Source of "now"; tests pass a fixed or advancing clock so time rules can be checked exactly. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
