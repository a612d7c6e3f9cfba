import { companySize, sizeNeedsAssets } from '../server/domain/company-size';
import type { Certification, CollateralKind, CompanySize, TaxRating, TaxRatingAnswer } from '../server/domain/catalogue';

/** A company profile as the API takes it (SPEC "JSON shapes"); for matching every field may be missing. */
export interface CompanyProfile {
  uscc?: string;
  name?: string;
  district?: string;
  industry?: string;
  establishedOn?: string;
  employees?: number;
  annualRevenue?: number;
  totalAssets?: number;
  /** "unknown" (or absent): the applicant does not know it; criteria on it read "unknown". */
  taxRating?: TaxRatingAnswer;
  hasBankLoan?: boolean;
  overdueCount?: number;
  collateral?: CollateralKind[];
  guaranteeAvailable?: boolean;
  /** The certifications held; absent means not asked or not answered (an empty list: holds none). */
  certifications?: Certification[];
}

export interface Need {
  amount: number;
  termMonths: number;
  purpose?: string;
}

/** What the criteria are judged on; undefined means the profile does not say (an "unknown" reason). */
export interface Facts {
  district?: string;
  industry?: string;
  monthsInOperation?: number;
  revenue?: number;
  employees?: number;
  size?: CompanySize;
  taxRating?: TaxRating;
  overdueCount?: number;
  collateral?: CollateralKind[];
  guaranteeAvailable?: boolean;
  hasBankLoan?: boolean;
  certifications?: Certification[];
  amount: number;
  termMonths: number;
}

/** Whole months from one calendar day to another (a month counts once its day-of-month is reached). */
export function monthsBetween(from: string, to: string): number {
  const [y1, m1, d1] = from.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = to.split('-').map(Number) as [number, number, number];
  return Math.max(0, (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0));
}

/** Derives the facts from a profile and a need, on a given Shanghai calendar day (`YYYY-MM-DD`). */
export function toFacts(c: CompanyProfile, need: Need, today: string): Facts {
  let size: CompanySize | undefined;
  if (c.industry !== undefined && c.employees !== undefined && c.annualRevenue !== undefined
    && (c.totalAssets !== undefined || !sizeNeedsAssets(c.industry))) {
    size = companySize({ industry: c.industry, employees: c.employees, revenue: c.annualRevenue, assets: c.totalAssets });
  }
  return {
    district: c.district,
    industry: c.industry,
    monthsInOperation: c.establishedOn === undefined ? undefined : monthsBetween(c.establishedOn, today),
    revenue: c.annualRevenue,
    employees: c.employees,
    size,
    taxRating: c.taxRating === 'unknown' ? undefined : c.taxRating,
    overdueCount: c.overdueCount,
    collateral: c.collateral,
    guaranteeAvailable: c.guaranteeAvailable,
    hasBankLoan: c.hasBankLoan,
    certifications: c.certifications,
    amount: need.amount,
    termMonths: need.termMonths,
  };
}
