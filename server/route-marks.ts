import type { Role } from '../models/users';

/**
 * What a middleware tells the OpenAPI document about its route: who may call it and whether it is
 * rate limited. The middlewares mark themselves where they are built, so the document cannot drift
 * from what the routes really do.
 */
export interface Access {
  /** Staff only; an empty list means any signed-in staff. */
  roles?: Role[];
  /** Public, but a staff session sees more. */
  optional?: boolean;
}

const ACCESS = Symbol('access');
const RATE_LIMIT = Symbol('rateLimit');

export function markAccess<F extends object>(fn: F, access: Access): F {
  return Object.assign(fn, { [ACCESS]: access });
}

export function accessOf(fn: unknown): Access | undefined {
  return (fn as { [ACCESS]?: Access } | undefined)?.[ACCESS];
}

export function markRateLimit<F extends object>(fn: F, what: string): F {
  return Object.assign(fn, { [RATE_LIMIT]: what });
}

export function rateLimitOf(fn: unknown): string | undefined {
  return (fn as { [RATE_LIMIT]?: string } | undefined)?.[RATE_LIMIT];
}
