/**
 * Score 0–100: a weighted mean of six fits, each 0–1. Weights and ranges are data (tuning.json);
 * the product-only parts (rate, approval speed) are computed once when compiling.
 */
import tuning from './tuning.json' with { type: 'json' };

const w = tuning.weights;
export const weights = w;
export const totalWeight = w.amountFit + w.termFit + w.rate + w.approvalSpeed + w.firstLoan + w.collateralFit;
export const firstLoanNeutral = tuning.firstLoanNeutral;
/** Multiplying by this instead of dividing by the weight total keeps the batch loop free of divisions. */
export const SCALE = 100 / totalWeight;

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Lower rates score higher: bestPct and below is 1, worstPct and above is 0. */
export function rateFit(rateMinPct: number): number {
  return clamp01((tuning.rate.worstPct - rateMinPct) / (tuning.rate.worstPct - tuning.rate.bestPct));
}

export function approvalFit(days: number): number {
  return clamp01((tuning.approvalDays.worst - days) / (tuning.approvalDays.worst - tuning.approvalDays.best));
}

/**
 * 1 inside the range; outside, how close (a request of twice the maximum fits 0.5). Written with
 * reciprocals, as the batch loop computes it from precomputed 1/value and 1/min.
 */
export function rangeFit(value: number, min: number, max: number): number {
  return value > max ? max * (1 / value) : value < min ? value * (1 / min) : 1;
}

/** For first-time borrowers, first-loan-friendly products fit; for others (or unknown) it is neutral. */
export function firstLoanFit(hasBankLoan: boolean | undefined, friendly: boolean): number {
  return hasBankLoan === false ? (friendly ? 1 : 0) : tuning.firstLoanNeutral;
}

/** The weighted product-only part of the score. */
export function constantPart(rateMinPct: number, approvalDays: number): number {
  return w.rate * rateFit(rateMinPct) + w.approvalSpeed * approvalFit(approvalDays);
}

/**
 * Combines the parts into 0–100, rounding half up (`(x + 0.5) | 0`: x is never negative, and it is twice
 * as fast as Math.round in the batch loop). batch.ts repeats this arithmetic term for term, so the two
 * evaluators agree to the last bit; the differential test holds them to it.
 */
export function combine(constant: number, amountFit: number, termFit: number, firstLoan: number, collateralFit: number): number {
  return ((constant + w.amountFit * amountFit + w.termFit * termFit + w.firstLoan * firstLoan + w.collateralFit * collateralFit) * SCALE + 0.5) | 0;
}

/**
 * The lowest score an eligible product can get: being eligible means the amount, the term and the
 * security asked for all fit, whatever the rate, speed and first-loan parts add.
 */
export const ELIGIBLE_FLOOR = combine(0, 1, 1, 0, 1);
/** An ineligible product's score is its fit scaled into 0…ELIGIBLE_FLOOR − 1, so it never outranks an eligible one. */
export const INELIGIBLE_CEILING = ELIGIBLE_FLOOR - 1;

/** Scales an ineligible product's fit (0–100) below every eligible score, rounding half up in integers. */
export function ineligibleScore(fit: number): number {
  return ((fit * INELIGIBLE_CEILING + 50) / 100) | 0;
}
