/** A Shanghai wall-clock time ('2026-03-02T10:00') as a Date. */
export const sh = (local: string) => new Date(`${local}+08:00`);
