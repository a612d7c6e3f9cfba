/**
 * The batch evaluator: eligibility and score of many complete profiles against the compiled catalogue,
 * on typed-array columns (no objects or strings in the inner loop). It encodes the same criteria as
 * predicates.ts with the same inclusive bounds and calls the same score function; a differential
 * test holds the two (and json-rules-engine) to the same answers. Profiles must be complete: a
 * profile lacking a fact belongs to the explaining evaluator, which reports "unknown". Two facts are
 * exempt, as applicants may leave them open: an unknown tax rating and unanswered certifications fail
 * every criterion on them here, which is the explaining evaluator's verdict too (an unknown reason
 * is not eligible, and neither fact enters the score).
 */
import { certifications, collateralKinds, companySizes, taxRatings } from '../server/domain/catalogue';
import type { Facts } from './facts';
import type { CompiledProduct } from './matcher';
import { INELIGIBLE_CEILING, SCALE, weights, firstLoanNeutral } from './score';

/** Profiles per cache block (about 120 KB of columns). */
const BLOCK = 2048;

const bitOf = <T extends string>(list: readonly T[]) => Object.fromEntries(list.map((v, i) => [v, 1 << i])) as Record<T, number>;
const sizeBit = bitOf(companySizes);
const taxBit = bitOf(taxRatings);
const collateralBit = bitOf(collateralKinds);
const certificationBit = bitOf(certifications);
const maskOf = <T extends string>(bits: Record<T, number>, list: readonly T[] | undefined, all: number) =>
  list?.length ? list.reduce((m, v) => m | bits[v], 0) : all;

export interface ProfileColumns {
  count: number;
  district: Int32Array;
  /** `words` 32-bit words per profile: bit k set when the industry starts with prefix k. */
  industry: Uint32Array;
  months: Int32Array;
  revenue: Float64Array;
  employees: Float64Array;
  size: Uint8Array;
  tax: Uint8Array;
  overdue: Int32Array;
  collateral: Uint8Array;
  guarantee: Uint8Array;
  hasLoan: Uint8Array;
  certifications: Uint8Array;
  amount: Float64Array;
  term: Float64Array;
}

export class BatchMatcher {
  readonly n: number;
  private readonly districtIds = new Map<string, number>();
  private readonly prefixes: string[] = [];
  readonly words: number;
  readonly slots: number;
  readonly hasDistricts: Uint8Array;
  readonly districtAllowed: Uint8Array;
  readonly includeMask: Uint32Array;
  readonly hasInclude: Uint8Array;
  readonly excludeMask: Uint32Array;
  readonly minMonths: Int32Array;
  readonly revMin: Float64Array;
  readonly revMax: Float64Array;
  readonly empMin: Float64Array;
  readonly empMax: Float64Array;
  readonly sizeMask: Uint8Array;
  readonly taxMask: Uint8Array;
  readonly maxOverdue: Int32Array;
  readonly collateralMask: Uint8Array;
  readonly requiresGuarantee: Uint8Array;
  readonly firstLoanOnly: Uint8Array;
  readonly certificationMask: Uint8Array;
  readonly friendly: Uint8Array;
  readonly amtMin: Float64Array;
  readonly amtMax: Float64Array;
  readonly termMin: Float64Array;
  readonly termMax: Float64Array;
  readonly constant: Float64Array;

  constructor(readonly products: CompiledProduct[]) {
    const n = (this.n = products.length);
    for (const { source: { criteria: c } } of products) {
      for (const d of c.districts ?? []) if (!this.districtIds.has(d)) this.districtIds.set(d, this.districtIds.size);
      for (const code of [...(c.industriesInclude ?? []), ...(c.industriesExclude ?? [])]) if (!this.prefixes.includes(code)) this.prefixes.push(code);
    }
    this.slots = this.districtIds.size + 1; // the last slot: a district no product names
    this.words = Math.max(1, Math.ceil(this.prefixes.length / 32));
    this.hasDistricts = new Uint8Array(n);
    this.districtAllowed = new Uint8Array(n * this.slots);
    this.includeMask = new Uint32Array(n * this.words);
    this.hasInclude = new Uint8Array(n);
    this.excludeMask = new Uint32Array(n * this.words);
    this.minMonths = new Int32Array(n);
    this.revMin = new Float64Array(n);
    this.revMax = new Float64Array(n);
    this.empMin = new Float64Array(n);
    this.empMax = new Float64Array(n);
    this.sizeMask = new Uint8Array(n);
    this.taxMask = new Uint8Array(n);
    this.maxOverdue = new Int32Array(n);
    this.collateralMask = new Uint8Array(n);
    this.requiresGuarantee = new Uint8Array(n);
    this.firstLoanOnly = new Uint8Array(n);
    this.certificationMask = new Uint8Array(n);
    this.friendly = new Uint8Array(n);
    this.amtMin = new Float64Array(n);
    this.amtMax = new Float64Array(n);
    this.termMin = new Float64Array(n);
    this.termMax = new Float64Array(n);
    this.constant = new Float64Array(n);
    products.forEach(({ source: p, constant }, i) => {
      const c = p.criteria;
      if (c.districts?.length) {
        this.hasDistricts[i] = 1;
        for (const d of c.districts) this.districtAllowed[i * this.slots + this.districtIds.get(d)!] = 1;
      }
      if (c.industriesInclude?.length) {
        this.hasInclude[i] = 1;
        for (const code of c.industriesInclude) this.setBit(this.includeMask, i, this.prefixes.indexOf(code));
      }
      for (const code of c.industriesExclude ?? []) this.setBit(this.excludeMask, i, this.prefixes.indexOf(code));
      this.minMonths[i] = c.minYearsInOperation ? Math.round(c.minYearsInOperation * 12) : 0;
      this.revMin[i] = c.annualRevenue?.min ?? -Infinity;
      this.revMax[i] = c.annualRevenue?.max ?? Infinity;
      this.empMin[i] = c.employees?.min ?? -Infinity;
      this.empMax[i] = c.employees?.max ?? Infinity;
      this.sizeMask[i] = maskOf(sizeBit, c.sizes, 0xff);
      this.taxMask[i] = maskOf(taxBit, c.taxRatings, 0xff);
      this.maxOverdue[i] = c.maxOverdueCount ?? 0x7fffffff;
      this.collateralMask[i] = maskOf(collateralBit, c.collateralAnyOf, 0);
      this.requiresGuarantee[i] = c.requiresGuarantee ? 1 : 0;
      this.firstLoanOnly[i] = c.firstLoanOnly ? 1 : 0;
      this.certificationMask[i] = maskOf(certificationBit, c.certificationsAnyOf, 0);
      this.friendly[i] = p.firstLoanFriendly ? 1 : 0;
      this.amtMin[i] = p.amount.min;
      this.amtMax[i] = p.amount.max;
      this.termMin[i] = p.termMonths.min;
      this.termMax[i] = p.termMonths.max;
      this.constant[i] = constant;
    });
  }

  private setBit(mask: Uint32Array, product: number, bit: number) {
    mask[product * this.words + (bit >>> 5)]! |= 1 << (bit & 31);
  }

  /** Encodes complete facts as columns (done once per batch, outside the timed loop). */
  encode(facts: Facts[]): ProfileColumns {
    const count = facts.length;
    const cols: ProfileColumns = {
      count,
      district: new Int32Array(count), industry: new Uint32Array(count * this.words), months: new Int32Array(count),
      revenue: new Float64Array(count), employees: new Float64Array(count), size: new Uint8Array(count), tax: new Uint8Array(count),
      overdue: new Int32Array(count), collateral: new Uint8Array(count), guarantee: new Uint8Array(count), hasLoan: new Uint8Array(count),
      certifications: new Uint8Array(count), amount: new Float64Array(count), term: new Float64Array(count),
    };
    facts.forEach((f, i) => {
      if (f.district === undefined || f.industry === undefined || f.monthsInOperation === undefined || f.revenue === undefined
        || f.employees === undefined || f.size === undefined || f.overdueCount === undefined
        || f.collateral === undefined || f.guaranteeAvailable === undefined || f.hasBankLoan === undefined) {
        throw new TypeError(`profile ${i} is incomplete; the batch evaluator takes complete profiles only`);
      }
      cols.district[i] = this.districtIds.get(f.district) ?? this.slots - 1;
      this.prefixes.forEach((code, k) => {
        if (f.industry!.startsWith(code)) cols.industry[i * this.words + (k >>> 5)]! |= 1 << (k & 31);
      });
      cols.months[i] = f.monthsInOperation;
      cols.revenue[i] = f.revenue;
      cols.employees[i] = f.employees;
      cols.size[i] = sizeBit[f.size];
      cols.tax[i] = f.taxRating === undefined ? 0 : taxBit[f.taxRating];
      cols.overdue[i] = f.overdueCount;
      cols.collateral[i] = maskOf(collateralBit, f.collateral, 0);
      cols.guarantee[i] = f.guaranteeAvailable ? 1 : 0;
      cols.hasLoan[i] = f.hasBankLoan ? 1 : 0;
      cols.certifications[i] = f.certifications === undefined ? 0 : maskOf(certificationBit, f.certifications, 0);
      cols.amount[i] = f.amount;
      cols.term[i] = f.termMonths;
    });
    return cols;
  }

  /** Generated kernels per product, built on first use: scoring every pair, or eligible pairs only. */
  private kernels: { all?: Kernel[]; eligible?: Kernel[] } = {};

  /**
   * Evaluates every profile against every product. Results are product-major: eligible[p * count + i]
   * is 1 or 0 and score[p * count + i] is 0–100, for product p and profile i. Profiles go in blocks
   * that stay in cache while every product's kernel runs over them. Returns the eligible pairs.
   * With `scoreAll: false` only eligible pairs are scored (the others get 0): what a bulk consumer,
   * such as re-matching companies when a product launches, needs.
   */
  run(cols: ProfileColumns, eligible: Uint8Array, score: Uint8Array, { scoreAll = true } = {}): number {
    const mode = scoreAll ? 'all' : 'eligible';
    const kernels = (this.kernels[mode] ??= this.products.map((_, p) => this.kernelFor(p, scoreAll)));
    const N = cols.count;
    const invAmount = new Float64Array(N);
    const invTerm = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      invAmount[i] = 1 / cols.amount[i]!;
      invTerm[i] = 1 / cols.term[i]!;
    }
    let count = 0;
    for (let from = 0; from < N; from += BLOCK) {
      const to = Math.min(N, from + BLOCK);
      for (let p = 0; p < this.n; p++) count += kernels[p]!(cols, eligible, score, from, to, p * N, invAmount, invTerm, this.districtAllowed);
    }
    return count;
  }

  /**
   * Compiles product p into a function holding only the checks its criteria ask for, its bounds as
   * literals. The score arithmetic is score.ts combine() term for term. Only numbers are written into
   * the source, each checked to be a number first.
   */
  private kernelFor(p: number, scoreAll: boolean): Kernel {
    const W = this.words;
    const num = (x: number) => {
      if (typeof x !== 'number' || Number.isNaN(x)) throw new TypeError(`not a number: ${x}`);
      return x === Infinity ? 'Infinity' : x === -Infinity ? '-Infinity' : String(x);
    };
    const checks: string[] = ['(amount >= AMIN)', '(amount <= AMAX)', '(term >= TMIN)', '(term <= TMAX)'];
    if (this.minMonths[p]! > 0) checks.push(`(c.months[i] >= ${num(this.minMonths[p]!)})`);
    if (this.revMin[p]! !== -Infinity) checks.push(`(c.revenue[i] >= ${num(this.revMin[p]!)})`);
    if (this.revMax[p]! !== Infinity) checks.push(`(c.revenue[i] <= ${num(this.revMax[p]!)})`);
    if (this.empMin[p]! !== -Infinity) checks.push(`(c.employees[i] >= ${num(this.empMin[p]!)})`);
    if (this.empMax[p]! !== Infinity) checks.push(`(c.employees[i] <= ${num(this.empMax[p]!)})`);
    if (this.sizeMask[p]! !== 0xff) checks.push(`((c.size[i] & ${num(this.sizeMask[p]!)}) !== 0)`);
    if (this.taxMask[p]! !== 0xff) checks.push(`((c.tax[i] & ${num(this.taxMask[p]!)}) !== 0)`);
    if (this.maxOverdue[p]! !== 0x7fffffff) checks.push(`(c.overdue[i] <= ${num(this.maxOverdue[p]!)})`);
    if (this.collateralMask[p]! !== 0) checks.push('collateralOk');
    if (this.requiresGuarantee[p] === 1) checks.push('guaranteeOk');
    if (this.firstLoanOnly[p] === 1) checks.push('(hasLoan === 0)');
    if (this.certificationMask[p]! !== 0) checks.push(`((c.certifications[i] & ${num(this.certificationMask[p]!)}) !== 0)`);
    if (this.hasDistricts[p] === 1) checks.push(`(allowed[${num(p * this.slots)} + c.district[i]] === 1)`);
    for (let k = 0; k < W; k++) {
      const exclude = this.excludeMask[p * W + k]!;
      if (exclude !== 0) checks.push(`((c.industry[i * ${num(W)} + ${num(k)}] & ${num(exclude)}) === 0)`);
    }
    if (this.hasInclude[p] === 1) {
      const any = Array.from({ length: W }, (_, k) => this.includeMask[p * W + k]!)
        .map((mask, k) => (mask === 0 ? '' : `(c.industry[i * ${num(W)} + ${num(k)}] & ${num(mask)}) !== 0`)).filter(Boolean);
      checks.push(`(${any.join(' || ')})`);
    }
    const aMin = this.amtMin[p]!;
    const tMin = this.termMin[p]!;
    // Columns as locals (c.x[i] would reload c.x on every profile).
    const columns = ['amount', 'term', 'hasLoan', 'months', 'revenue', 'employees', 'size', 'tax', 'overdue', 'collateral', 'guarantee', 'district', 'industry', 'certifications'];
    const body = checks.join(' ');
    const used = columns.filter((name) => ['amount', 'term', 'hasLoan', 'collateral', 'guarantee'].includes(name) || body.includes(`c.${name}[`));
    const source = `
      const { ${used.map((name) => `${name}: c_${name}`).join(', ')} } = c;
      const AMIN = ${num(aMin)}, AMAX = ${num(this.amtMax[p]!)}, TMIN = ${num(tMin)}, TMAX = ${num(this.termMax[p]!)};
      let count = 0;
      for (let i = from; i < to; i++) {
        const amount = c_amount[i], term = c_term[i], hasLoan = c_hasLoan[i];
        const collateralOk = ${this.collateralMask[p] === 0 ? 'true' : `(c_collateral[i] & ${num(this.collateralMask[p]!)}) !== 0`};
        const guaranteeOk = ${this.requiresGuarantee[p] === 1 ? 'c_guarantee[i] === 1' : 'true'};
        const ok = ${checks.map((x) => `+${x.replace(/c\.(\w+)\[/g, 'c_$1[')}`).join(' & ')};
        eligible[out + i] = ok;
        count += ok;
        ${scoreAll ? '' : 'if (ok === 0) { score[out + i] = 0; continue; }'}
        const amountFit = amount > AMAX ? AMAX * invAmount[i] : amount < AMIN ? amount * ${num(1 / aMin)} : 1;
        const termFit = term > TMAX ? TMAX * invTerm[i] : term < TMIN ? term * ${num(1 / tMin)} : 1;
        const firstLoan = hasLoan === 0 ? ${this.friendly[p] === 1 ? 1 : 0} : ${num(firstLoanNeutral)};
        const fit = ((${num(this.constant[p]!)} + ${num(weights.amountFit)} * amountFit + ${num(weights.termFit)} * termFit + ${num(weights.firstLoan)} * firstLoan
          + ${num(weights.collateralFit)} * ((collateralOk ? 1 : 0) * (guaranteeOk ? 1 : 0))) * ${num(SCALE)} + 0.5) | 0;
        score[out + i] = ok === 1 ? fit : ((fit * ${num(INELIGIBLE_CEILING)} + 50) / 100) | 0;
      }
      return count;`;
    return new Function('c', 'eligible', 'score', 'from', 'to', 'out', 'invAmount', 'invTerm', 'allowed', source) as Kernel;
  }
}

type Kernel = (c: ProfileColumns, eligible: Uint8Array, score: Uint8Array, from: number, to: number, out: number,
  invAmount: Float64Array, invTerm: Float64Array, allowed: Uint8Array) => number;
