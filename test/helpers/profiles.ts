import { seedBanks } from '../../server/seed/banks';
import { seedProductsOf } from '../../server/seed/products';
import type { Certification, CollateralKind, TaxRating } from '../../server/domain/catalogue';
import type { CompanyProfile, Need } from '../../matchers/facts';
import type { MatchProduct } from '../../matchers/matcher';

/** A small seeded PRNG (mulberry32) so generated profiles are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const districts = ['441202', '441203', '441204', '441223', '441224', '441225', '441226', '441284'];
const industries = ['A01', 'A03', 'C13', 'C14', 'C24', 'C33', 'C34', 'C38', 'E48', 'F51', 'F52', 'G54', 'G59', 'H61', 'I63', 'I65', 'K701', 'K702', 'L72', 'M73', 'O80'];
const terms = [3, 6, 12, 18, 24, 36, 60, 120];
const certificationChoices: Certification[][] = [['high_tech'], ['tech_sme'], ['specialized'], ['innovative'], ['high_tech', 'tech_sme'], ['specialized', 'little_giant']];
const collateralChoices: CollateralKind[][] = [['none'], ['real_estate'], ['equipment'], ['receivables'], ['ip'], ['real_estate', 'equipment'], ['receivables', 'ip'], ['deposit']];

/** A complete, plausible profile and need for a small Zhaoqing company, as of `today` (YYYY-MM-DD). */
export function randomProfile(next: () => number, today = '2026-11-20'): { company: CompanyProfile; need: Need } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const logUniform = (lo: number, hi: number) => Math.round(Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo))));
  const ageDays = Math.floor(next() * 15 * 365);
  const established = new Date(Date.parse(`${today}T00:00:00Z`) - ageDays * 86_400_000).toISOString().slice(0, 10);
  const r = next();
  const taxRating: TaxRating = r < 0.3 ? 'A' : r < 0.6 ? 'B' : r < 0.8 ? 'M' : r < 0.95 ? 'C' : 'D';
  const profile: { company: CompanyProfile; need: Need } = {
    company: {
      district: pick(districts),
      industry: pick(industries),
      establishedOn: established,
      employees: logUniform(1, 2000),
      annualRevenue: logUniform(100_000, 500_000_000),
      totalAssets: logUniform(100_000, 800_000_000),
      taxRating,
      hasBankLoan: next() < 0.5,
      overdueCount: next() < 0.7 ? 0 : 1 + Math.floor(next() * 5),
      collateral: pick(collateralChoices),
      guaranteeAvailable: next() < 0.5,
    },
    need: { amount: Math.max(10_000, Math.round(logUniform(30_000, 50_000_000) / 10_000) * 10_000), termMonths: pick(terms) },
  };
  // Drawn last, so the draws above (and the profiles of older tests) stay what they were.
  const c = next();
  if (c < 0.25) profile.company.certifications = pick(certificationChoices);
  else if (c < 0.85) profile.company.certifications = [];
  return profile;
}

/** The demo registry's 132 products as the matcher sees them, with ids 1…132. */
export function seededMatchProducts(): MatchProduct[] {
  let id = 0;
  return seedBanks.flatMap((bank, i) => seedProductsOf(bank, i).map((p) => ({
    id: ++id, bankId: i + 1, bankName: bank.name, name: p.name, type: p.type, amount: p.amount, termMonths: p.termMonths,
    rate: p.rate, approvalDays: p.approvalDays, firstLoanFriendly: p.firstLoanFriendly, criteria: p.criteria,
  })));
}
