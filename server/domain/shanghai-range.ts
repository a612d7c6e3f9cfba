const DAY = 86_400_000;

/**
 * A range of Shanghai days (`to` inclusive) as the instants that bound it: [from 00:00 +08:00, the day after
 * `to` 00:00 +08:00). Either end may be open.
 */
export function shanghaiDayRange(from?: string, to?: string): { from?: Date; to?: Date } {
  return {
    from: from ? new Date(`${from}T00:00:00+08:00`) : undefined,
    to: to ? new Date(new Date(`${to}T00:00:00+08:00`).getTime() + DAY) : undefined,
  };
}
