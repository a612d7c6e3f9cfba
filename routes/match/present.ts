import type { MatchResult } from '../../matchers/matcher';

/**
 * A match answer is mostly objects the matcher shares between requests (product summaries, pass
 * reasons, remembered fail reasons, their hints). Each is serialized and UTF-8 encoded once, and an
 * answer is the concatenation of those bytes: no JSON.stringify or string encoding of 30 KB per request.
 */
const fragments = new WeakMap<object, Buffer>();

function bytes(value: object): Buffer {
  let b = fragments.get(value);
  if (b === undefined) {
    b = Buffer.from(JSON.stringify(value));
    if (Object.isFrozen(value)) fragments.set(value, b);
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

function pushList(parts: Buffer[], items: readonly object[]) {
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(bytes(items[i]!));
  }
}

export interface MatchAnswer {
  results: MatchResult[];
  total: number;
  eligibleCount: number;
  profile: { size: string | null; monthsInOperation: number | null };
}

/** The match answer as UTF-8 JSON, byte for byte what JSON.stringify would give. */
export function matchAnswerBytes(a: MatchAnswer): Buffer {
  const parts: Buffer[] = [ANSWER_OPEN];
  a.results.forEach((r, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(RESULT_OPEN, bytes(r.product), r.eligible ? ELIGIBLE : NOT_ELIGIBLE, SCORES[r.score] ?? lit(String(r.score)), REASONS_OPEN);
    pushList(parts, r.reasons);
    parts.push(HINTS_OPEN);
    pushList(parts, r.hints);
    parts.push(RESULT_CLOSE);
  });
  parts.push(lit(`],"total":${a.total},"eligibleCount":${a.eligibleCount},"returned":${a.results.length},"profile":${JSON.stringify(a.profile)}}`));
  return Buffer.concat(parts);
}
