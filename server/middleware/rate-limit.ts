import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../clock';
import { TooManyRequestsError } from '../errors';
import { markRateLimit } from '../route-marks';

/**
 * A fixed-window counter per key, kept in this process. Several instances each enforce the limit on
 * what reaches them (a limit per instance, not a shared one): nothing here needs coordinating, and a
 * restart forgets the counts, which errs on the side of letting people in.
 */
export class RateLimiter {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();

  constructor(readonly limit: number, readonly windowMs: number, private readonly clock: Clock, private readonly maxKeys = 100_000) {}

  /** Counts one request; returns the seconds to wait when over the limit, else 0. */
  take(key: string): number {
    const now = this.clock.now().getTime();
    let entry = this.hits.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.hits.size >= this.maxKeys) this.prune(now);
      entry = { count: 0, resetAt: now + this.windowMs };
      this.hits.set(key, entry);
    }
    entry.count++;
    return entry.count > this.limit ? Math.ceil((entry.resetAt - now) / 1000) : 0;
  }

  private prune(now: number) {
    for (const [k, v] of this.hits) if (v.resetAt <= now) this.hits.delete(k);
    // Still full of live windows (a flood of distinct keys): drop the oldest half.
    if (this.hits.size >= this.maxKeys) {
      let drop = this.hits.size / 2;
      for (const k of this.hits.keys()) {
        if (drop-- <= 0) break;
        this.hits.delete(k);
      }
    }
  }
}

/** 429 with Retry-After once `keyOf` (which may read the validated input on res) exceeds the budget. */
export function rateLimit(limiter: RateLimiter, keyOf: (req: Request, res: Response) => string | undefined, what: string) {
  return markRateLimit((req: Request, res: Response, next: NextFunction) => {
    const key = keyOf(req, res);
    const wait = key === undefined ? 0 : limiter.take(key);
    if (wait > 0) throw new TooManyRequestsError(wait, { code: 'rate_limited', detail: `Too many ${what}; retry in ${wait} s.` });
    next();
  }, what);
}
