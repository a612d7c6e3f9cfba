import { shanghaiDate } from './lpr';

/** A request's reference for phone calls with the desk (not a key to anything): RM + yymmdd (Shanghai) + id. */
export function referenceOf(id: number, createdAt: Date): string {
  return `RM${shanghaiDate(createdAt).slice(2).replaceAll('-', '')}${String(id).padStart(5, '0')}`;
}
