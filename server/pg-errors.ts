import { ConflictError } from './errors';

/** PostgreSQL SQLSTATE of an error, looking through the driver's wrapping. */
export function sqlState(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

export const isUniqueViolation = (err: unknown) => sqlState(err) === '23505';

/** A deadlock or serialization failure: the transaction was rolled back and the same request may simply be sent again. */
export const isRetryableConflict = (err: unknown) => ['40P01', '40001'].includes(sqlState(err) ?? '');

/** The 409 a retryable database conflict answers (never a 500: nothing was written, the caller may try again). */
export function retryConflict(err: unknown): ConflictError {
  return new ConflictError({ code: 'conflict_retry', detail: 'Another change to the same records was being saved at the same moment; nothing was changed. Try again.', cause: err });
}
