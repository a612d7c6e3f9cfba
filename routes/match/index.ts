import { Router, type Request, type Response } from 'express';
import { toFacts } from '../../matchers/facts';
import type { AppContext } from '../../server/context';
import { shanghaiDate } from '../../server/domain/lpr';
import { MemoryRateLimiter, rateLimit } from '../../server/middleware/rate-limit';
import { inputOf, validate } from '../../server/middleware/validate';
import { matchAnswerBytes, type Lang } from './present';
import { matchBody, type MatchInput } from './schema';

/** Near misses shown after the eligible products unless `limit` says otherwise: they carry the hints. */
const NEAR_MISSES = 10;

/**
 * The language asked for: `lang` in the body, else the first language of Accept-Language when it is
 * Chinese or English (by q-value; `*` or anything else: both languages, as before).
 */
export function langOf(bodyLang: Lang | undefined, acceptLanguage: string | undefined): Lang | undefined {
  if (bodyLang) return bodyLang;
  if (!acceptLanguage) return undefined;
  const ranked = acceptLanguage.split(',').map((part, i) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = Number(params.map((x) => x.trim()).find((x) => x.startsWith('q='))?.slice(2) ?? 1);
    return { tag: tag.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, i };
  }).filter((x) => x.tag && x.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  const first = ranked[0]?.tag.split('-')[0];
  return first === 'zh' || first === 'en' ? first : undefined;
}

export function matchRoutes(ctx: AppContext): Router {
  // The hot path: counted per instance, in memory (see MemoryRateLimiter).
  const perClient = new MemoryRateLimiter(ctx.config.matchRateLimit, 60_000, ctx.clock);

  /**
   * Published products for this company and need: eligible first, then by score. By default every
   * eligible product and the 10 best of the rest (`total` says how many were judged).
   */
  async function match(req: Request, res: Response) {
    const { company, need, limit, lang } = inputOf<{ body: MatchInput }>(res).body;
    const matcher = await ctx.catalogue.current();
    const facts = toFacts(company, need, shanghaiDate(ctx.clock.now()));
    const all = matcher.match(facts);
    let eligibleCount = 0;
    while (eligibleCount < all.length && all[eligibleCount]!.eligible) eligibleCount++;
    const results = all.slice(0, limit ?? eligibleCount + NEAR_MISSES);
    res.vary('Accept-Language').type('application/json').send(matchAnswerBytes({
      results,
      total: all.length,
      eligibleCount,
      profile: { size: facts.size ?? null, monthsInOperation: facts.monthsInOperation ?? null },
      lang: langOf(lang, req.get('accept-language')),
    }));
  }

  const router = Router();
  router.post('/', rateLimit(perClient, (req) => req.ip, 'match requests'), validate({ body: matchBody }), match);
  return router;
}
