import type { Criteria } from './criteria';
import type { Facts } from './facts';
import { Interner } from './interner';
import { compileCriteria, type Predicate, type Reason } from './predicates';
import { combine, constantPart, firstLoanFit, ineligibleScore, rangeFit } from './score';
import type { Msg } from './text';

/** What the matcher needs of a published product version. */
export interface MatchProduct {
  id: number;
  bankId: number;
  bankName: string;
  name: string;
  type: string;
  amount: { min: number; max: number };
  termMonths: { min: number; max: number };
  rate: { min: number; max: number };
  approvalDays: number;
  firstLoanFriendly: boolean;
  criteria: Criteria;
}

/** The product part of a match result (SPEC "match answer"): the product without its criteria. */
export type ProductSummary = Omit<MatchProduct, 'criteria'>;

export interface MatchResult {
  product: ProductSummary;
  eligible: boolean;
  score: number;
  reasons: Reason[];
  hints: Msg[];
}

export interface CompiledProduct {
  source: MatchProduct;
  summary: ProductSummary;
  predicates: Predicate[];
  constant: number;
}

export function compileProduct(p: MatchProduct, interner: Interner = new Interner()): CompiledProduct {
  return {
    source: p,
    summary: Object.freeze({
      id: p.id, bankId: p.bankId, bankName: p.bankName, name: p.name, type: p.type,
      amount: p.amount, termMonths: p.termMonths, rate: p.rate, approvalDays: p.approvalDays, firstLoanFriendly: p.firstLoanFriendly,
    }),
    predicates: compileCriteria(p.criteria, p, interner),
    constant: constantPart(p.rate.min, p.approvalDays),
  };
}

/** How well collateral and guarantee fit, read off their reasons: pass 1, fail 0, unknown half; no such criterion 1. */
function securityFit(r: Reason): number {
  return r.status === 'pass' ? 1 : r.status === 'fail' ? 0 : 0.5;
}

const NO_HINTS: readonly Msg[] = Object.freeze([]);

/** The reason each shared predicate gave for this request's facts, filled on first use. */
type Memo = (Reason | undefined)[];

function reasonFor(p: Predicate, f: Facts, memo: Memo | undefined): Reason {
  let r = memo?.[p.id];
  if (r === undefined) {
    const ok = p.test(f);
    r = ok === true ? p.pass : ok === false ? p.fail(f) : p.unknown;
    if (memo) memo[p.id] = r;
  }
  return r;
}

/** Result and rank (2 eligible, 1 only unknowns, 0 some criterion fails) of one product. */
function evaluate(c: CompiledProduct, f: Facts, memo?: Memo): { result: MatchResult; rank: number } {
  const reasons: Reason[] = new Array(c.predicates.length);
  let hints = NO_HINTS as Msg[];
  let failed = false;
  let unknown = false;
  let security = 1;
  for (let i = 0; i < c.predicates.length; i++) {
    const r = reasonFor(c.predicates[i]!, f, memo);
    reasons[i] = r;
    if (r.criterion === 'collateralAnyOf' || r.criterion === 'requiresGuarantee') security *= securityFit(r);
    if (r.status === 'fail') {
      if (r.hint) {
        if (hints === NO_HINTS) hints = [];
        hints.push(r.hint);
      }
      failed = true;
    } else if (r.status === 'unknown') {
      unknown = true;
    }
  }
  const eligible = !failed && !unknown;
  const p = c.source;
  const fit = combine(c.constant, rangeFit(f.amount, p.amount.min, p.amount.max), rangeFit(f.termMonths, p.termMonths.min, p.termMonths.max),
    firstLoanFit(f.hasBankLoan, p.firstLoanFriendly), security);
  // A product the company cannot apply for must never look a better fit than one it can.
  const score = eligible ? fit : ineligibleScore(fit);
  return { result: { product: c.summary, eligible, score, reasons, hints }, rank: eligible ? 2 : failed ? 0 : 1 };
}

/** One product, fully explained: a reason per criterion, the hints of near misses, the score. */
export function explain(c: CompiledProduct, f: Facts): MatchResult {
  return evaluate(c, f).result;
}

/** Sort buckets: rank 0–2 × score 0–100. */
const BUCKETS = 3 * 101;

/**
 * The catalogue compiled once (on publish or retire, never per request): evaluates a company against
 * every product. Eligible products come first, then those that only lack information, then those
 * that fail; each group by score, then by product id.
 */
export class Matcher {
  readonly compiled: CompiledProduct[];
  private readonly predicateCount: number;

  constructor(products: MatchProduct[]) {
    const interner = new Interner();
    this.compiled = [...products].sort((a, b) => a.id - b.id).map((p) => compileProduct(p, interner));
    this.predicateCount = interner.all.length;
  }

  get size(): number {
    return this.compiled.length;
  }

  match(f: Facts): MatchResult[] {
    const n = this.compiled.length;
    const results = new Array<MatchResult>(n);
    const keys = new Uint16Array(n);
    const counts = new Uint32Array(BUCKETS + 1);
    const memo: Memo = new Array(this.predicateCount);
    for (let i = 0; i < n; i++) {
      const { result, rank } = evaluate(this.compiled[i]!, f, memo);
      results[i] = result;
      // Highest rank and score first: bucket 0 is rank 2, score 100.
      const key = (2 - rank) * 101 + (100 - result.score);
      keys[i] = key;
      counts[key + 1]!++;
    }
    // A counting sort: stable, so products of equal rank and score stay in id order.
    for (let k = 1; k <= BUCKETS; k++) counts[k]! += counts[k - 1]!;
    const out = new Array<MatchResult>(n);
    for (let i = 0; i < n; i++) out[counts[keys[i]!]!++] = results[i]!;
    return out;
  }
}
