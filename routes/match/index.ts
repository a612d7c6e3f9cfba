import { Router, type Request, type Response } from 'express';
import { toFacts } from '../../matchers/facts';
import type { AppContext } from '../../server/context';
import { shanghaiDate } from '../../server/domain/lpr';
import { RateLimiter, rateLimit } from '../../server/middleware/rate-limit';
import { inputOf, validate } from '../../server/middleware/validate';
import { matchAnswerBytes } from './present';
import { matchBody, type MatchInput } from './schema';

/** Near misses shown after the eligible products unless `limit` says otherwise: they carry the hints. */
const NEAR_MISSES = 10;

export function matchRoutes(ctx: AppContext): Router {
  const perClient = new RateLimiter(ctx.config.matchRateLimit, 60_000, ctx.clock);

  /**
   * Published products for this company and need: eligible first, then by score. By default every
   * eligible product and the 10 best of the rest (`total` says how many were judged).
   */
  async function match(_req: Request, res: Response) {
    const { company, need, limit } = inputOf<{ body: MatchInput }>(res).body;
    const matcher = await ctx.catalogue.current();
    const facts = toFacts(company, need, shanghaiDate(ctx.clock.now()));
    const all = matcher.match(facts);
    let eligibleCount = 0;
    while (eligibleCount < all.length && all[eligibleCount]!.eligible) eligibleCount++;
    const results = all.slice(0, limit ?? eligibleCount + NEAR_MISSES);
    res.type('application/json').send(matchAnswerBytes({
      results,
      total: all.length,
      eligibleCount,
      profile: { size: facts.size ?? null, monthsInOperation: facts.monthsInOperation ?? null },
    }));
  }

  const router = Router();
  router.post('/', rateLimit(perClient, (req) => req.ip, 'match requests'), validate({ body: matchBody }), match);
  return router;
}
