import type { MatchResult } from '../../matchers/matcher';
import type { Reason } from '../../matchers/predicates';
import type { Msg } from '../../matchers/text';

export type Lang = 'zh' | 'en';

/**
 * A match answer is mostly objects the matcher shares between requests (product summaries, pass
 * reasons, remembered fail reasons, their hints). Each is serialized and UTF-8 encoded once per
 * language asked for (both, zh or en), and an answer is the concatenation of those bytes: no
 * JSON.stringify or string encoding of 30 KB per request.
 */
const fragments = { both: new WeakMap<object, Buffer>(), zh: new WeakMap<object, Buffer>(), en: new WeakMap<object, Buffer>() };

/** A message, a hint or a reason keeping only one language (`{zh}` or `{en}`): the shape stays, the other half goes. */
function inLang(value: object, lang: Lang): object {
  const only = (m: Msg) => ({ [lang]: m[lang] });
  if ('criterion' in value) {
    const r = value as Reason;
    return { criterion: r.criterion, status: r.status, message: only(r.message), ...(r.hint ? { hint: only(r.hint) } : {}) };
  }
  return 'zh' in value && 'en' in value ? only(value as Msg) : value;
}

function bytes(value: object, lang?: Lang): Buffer {
  const cache = fragments[lang ?? 'both'];
  let b = cache.get(value);
  if (b === undefined) {
    b = Buffer.from(JSON.stringify(lang ? inLang(value, lang) : value));
    if (Object.isFrozen(value)) cache.set(value, b);
  }
  return b;
}

const lit = (s: string) => Buffer.from(s);
const RESULT_OPEN = lit('{"product":');
const ELIGIBLE = lit(',"eligible":true,"score":');
const NOT_ELIGIBLE = lit(',"eligible":false,"score":');
const REASONS_OPEN = lit(',"reasons":[');
const HINTS_OPEN = lit('],"hints":[');
const RESULT_CLOSE = lit(']}');
const COMMA = lit(',');
const ANSWER_OPEN = lit('{"results":[');
const SCORES = Array.from({ length: 101 }, (_, i) => lit(String(i)));

function pushList(parts: Buffer[], items: readonly object[], lang?: Lang) {
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(bytes(items[i]!, lang));
  }
}

export interface MatchAnswer {
  results: MatchResult[];
  total: number;
  eligibleCount: number;
  profile: { size: string | null; monthsInOperation: number | null };
  /** Messages and hints in this language only; absent: both. */
  lang?: Lang;
}

/** The match answer as UTF-8 JSON, byte for byte what JSON.stringify would give. */
export function matchAnswerBytes(a: MatchAnswer): Buffer {
  const parts: Buffer[] = [ANSWER_OPEN];
  a.results.forEach((r, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(RESULT_OPEN, bytes(r.product), r.eligible ? ELIGIBLE : NOT_ELIGIBLE, SCORES[r.score] ?? lit(String(r.score)), REASONS_OPEN);
    pushList(parts, r.reasons, a.lang);
    parts.push(HINTS_OPEN);
    pushList(parts, r.hints, a.lang);
    parts.push(RESULT_CLOSE);
  });
  parts.push(lit(`],"total":${a.total},"eligibleCount":${a.eligibleCount},"returned":${a.results.length},"profile":${JSON.stringify(a.profile)}${a.lang ? `,"lang":"${a.lang}"` : ''}}`));
  return Buffer.concat(parts);
}

/**
 * The same answer as a plain object, what `res.json` would be given (messages and hints kept in the
 * asked language): the reference the bench holds the hand-tuned bytes against, byte for byte.
 */
export function matchAnswerObject(a: MatchAnswer) {
  const pick = (xs: readonly object[]) => (a.lang ? xs.map((x) => inLang(x, a.lang!)) : xs);
  return {
    results: a.results.map((r) => ({ product: r.product, eligible: r.eligible, score: r.score, reasons: pick(r.reasons), hints: pick(r.hints) })),
    total: a.total, eligibleCount: a.eligibleCount, returned: a.results.length, profile: a.profile, ...(a.lang ? { lang: a.lang } : {}),
  };
}
