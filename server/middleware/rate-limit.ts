import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../clock';
import type { Executor } from '../db';
import { TooManyRequestsError } from '../errors';
import { markRateLimit } from '../route-marks';
import type { SQL } from 'drizzle-orm';
import { deleteExpiredRateLimits, hitRateLimit, hitRateLimitSql, unhitRateLimit } from '../../models/rate-limits';

/** A fixed-window budget of `limit` requests per `windowMs` for each key. */
export interface RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** Counts one request; resolves to the seconds to wait when over the limit, else 0. */
  take(key: string): Promise<number>;
  /** Gives back one request of the current window (one that turned out not to count). */
  giveBack(key: string): Promise<void>;
}

/**
 * Counted in this process: for the hot public path (`/api/match`), where a database write per request
 * would cost more than the limit saves. Several instances each enforce the limit on what reaches them
 * (a limit per instance, not a shared one), and a restart forgets the counts, which errs on the side
 * of letting people in.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();

  constructor(readonly limit: number, readonly windowMs: number, private readonly clock: Clock, private readonly maxKeys = 100_000) {}

  async take(key: string): Promise<number> {
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

  async giveBack(key: string): Promise<void> {
    const entry = this.hits.get(key);
    if (entry && entry.count > 0 && entry.resetAt > this.clock.now().getTime()) entry.count--;
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

/** How often one instance deletes the windows that have run out. */
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Counted in PostgreSQL (table `rate_limits`, one atomic upsert per request): every instance on the
 * database shares one count, so two instances do not double a limit. For low-rate limits (sign-in,
 * submissions, phone codes), where a write per request is cheap next to what is being protected.
 * `name` keeps limiters apart in the shared table.
 */
export class SharedRateLimiter implements RateLimiter {
  private lastSweep = 0;

  constructor(private readonly db: Executor, readonly name: string, readonly limit: number, readonly windowMs: number, private readonly clock: Clock) {}

  async take(key: string): Promise<number> {
    const now = this.clock.now();
    await this.sweep(now);
    return this.waitFor(await hitRateLimit(this.db, `${this.name}:${key}`, this.windowMs, now), now);
  }

  /** The hit as a statement (it returns `hits, reset_at`; counted only `when`), to run inside a bigger write: a rollback gives it back. */
  hitSql(key: string, now: Date, when?: SQL): SQL {
    return hitRateLimitSql(`${this.name}:${key}`, this.windowMs, now, when);
  }

  /** The seconds to wait after this hit (0: within the limit). */
  waitFor(hit: { hits: number; resetAt: Date }, now: Date): number {
    return hit.hits > this.limit ? Math.ceil((hit.resetAt.getTime() - now.getTime()) / 1000) : 0;
  }

  async giveBack(key: string): Promise<void> {
    await unhitRateLimit(this.db, `${this.name}:${key}`, this.clock.now());
  }

  /** Opportunistic cleanup, at most every 10 minutes per instance (instances may overlap; deleting twice is harmless). */
  private async sweep(now: Date) {
    if (now.getTime() - this.lastSweep < SWEEP_EVERY_MS && now.getTime() >= this.lastSweep) return;
    this.lastSweep = now.getTime();
    await deleteExpiredRateLimits(this.db, now);
  }
}

/** 429 with Retry-After once `keyOf` (which may read the validated input on res) exceeds the budget. */
export function rateLimit(limiter: RateLimiter, keyOf: (req: Request, res: Response) => string | undefined, what: string) {
  return markRateLimit(async (req: Request, res: Response, next: NextFunction) => {
    const key = keyOf(req, res);
    const wait = key === undefined ? 0 : await limiter.take(key);
    if (wait > 0) throw rateLimited(wait, what);
    next();
  }, what);
}

/** The 429 of a spent budget: what was limited and when to retry. */
export function rateLimited(wait: number, what: string): TooManyRequestsError {
  return new TooManyRequestsError(wait, { code: 'rate_limited', detail: `Too many ${what}; retry in ${wait} s.` });
}
