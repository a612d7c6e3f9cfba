import Joi from 'joi';
import { answer, bilingual, int } from '../docs/shapes';

/** The response schema of POST /api/match (routes/match/present.ts writes it byte by byte). */

/** A message in both languages, or with `lang` only that one. */
const text = Joi.alternatives(bilingual, answer({ zh: Joi.string() }), answer({ en: Joi.string() }));

/** How one criterion judged the company: pass, fail, or unknown (the company did not say). */
export const matchReason = answer({ criterion: Joi.string(), status: Joi.string().valid('pass', 'fail', 'unknown'), message: text, hint: text.optional() });

/** The product summary a match result carries (terms, rates, type); also in second looks and the desk's candidates. */
export const matchedProduct = Joi.object({ id: int.required(), bankId: int.required(), bankName: Joi.string().required(), name: Joi.string().required() }).unknown()
  .description('the product summary (terms, rates, type)');

export const matchResult = answer({
  product: matchedProduct,
  eligible: Joi.boolean(), score: int.min(0).max(100), reasons: Joi.array().items(matchReason), hints: Joi.array().items(Joi.any()),
});

export const matchResponse = answer({
  results: Joi.array().items(matchResult), total: int, eligibleCount: int, returned: int,
  profile: answer({ size: Joi.string().allow(null), monthsInOperation: int.allow(null) }),
  lang: Joi.string().valid('zh', 'en').optional(),
});
