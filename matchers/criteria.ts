import Joi from 'joi';
import {
  certifications, collateralKinds, companySizes, industryCodePattern, taxRatings,
  type Certification, type CollateralKind, type CompanySize, type TaxRating,
} from '../server/domain/catalogue';
import { district } from '../server/schemas';

/** A closed or half-open range; an absent bound is no constraint. Both bounds are inclusive. */
export interface Range {
  min?: number;
  max?: number;
}

/**
 * A product's eligibility criteria (SPEC "Matching"). Every member is optional: absent means no
 * constraint. Amount and term fit are judged against the product's own ranges, not stored here.
 */
export interface Criteria {
  districts?: string[];
  industriesInclude?: string[];
  industriesExclude?: string[];
  minYearsInOperation?: number;
  annualRevenue?: Range;
  employees?: Range;
  sizes?: CompanySize[];
  taxRatings?: TaxRating[];
  maxOverdueCount?: number;
  collateralAnyOf?: CollateralKind[];
  requiresGuarantee?: boolean;
  firstLoanOnly?: boolean;
  /** The company holds at least one of these certifications (高新技术企业, 科技型中小企业 …). */
  certificationsAnyOf?: Certification[];
}

const range = (max: number) => Joi.object({
  min: Joi.number().integer().min(0).max(max),
  max: Joi.number().integer().min(0).max(max),
}).custom((v: Range, helpers) => (v.min !== undefined && v.max !== undefined && v.min > v.max
  ? helpers.message({ custom: 'min must not exceed max' }) : v));

const codeList = (pattern: RegExp, what: string) => Joi.array()
  .items(Joi.string().trim().uppercase().pattern(pattern).messages({ 'string.pattern.base': `each entry must be ${what}` }))
  .unique().max(100);

/** The one schema for criteria: the products API, import and seed all validate with it. */
export const criteriaSchema = Joi.object({
  districts: Joi.array().items(district).unique().max(100),
  industriesInclude: codeList(industryCodePattern, 'a GB/T 4754 code such as C, C33 or K702'),
  industriesExclude: codeList(industryCodePattern, 'a GB/T 4754 code such as C, C33 or K702'),
  minYearsInOperation: Joi.number().min(0).max(100).precision(2),
  annualRevenue: range(1e13),
  employees: range(10_000_000),
  sizes: Joi.array().items(Joi.string().valid(...companySizes)).unique().min(1),
  taxRatings: Joi.array().items(Joi.string().valid(...taxRatings)).unique().min(1),
  maxOverdueCount: Joi.number().integer().min(0).max(1000),
  collateralAnyOf: Joi.array().items(Joi.string().valid(...collateralKinds)).unique().min(1),
  requiresGuarantee: Joi.boolean(),
  firstLoanOnly: Joi.boolean(),
  certificationsAnyOf: Joi.array().items(Joi.string().valid(...certifications)).unique().min(1),
}).prefs({ stripUnknown: false }).unknown(false);
