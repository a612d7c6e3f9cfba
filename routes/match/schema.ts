import Joi from 'joi';
import { certifications, collateralKinds, industryCodePattern, taxRatingAnswers } from '../../server/domain/catalogue';
import { isValidUscc } from '../../server/domain/uscc';
import type { CompanyProfile, Need } from '../../matchers/facts';
import { day, district } from '../../server/schemas';

/** The USCC rule (GB 32100-2015), shared by every schema that takes one. */
export const uscc = Joi.string().trim().uppercase().custom((v: string, helpers) => {
  if (!/^[0-9A-Z]{18}$/.test(v)) return helpers.message({ custom: 'uscc must be 18 letters and digits (统一社会信用代码)' });
  if (/[IOSVZ]/.test(v)) return helpers.message({ custom: 'uscc cannot contain I, O, S, V or Z' });
  if (!isValidUscc(v)) return helpers.message({ custom: 'uscc has a wrong check character' });
  return v;
});

/** A calendar date that exists (the shared rule), no later than today. */
const pastDate = day.custom((v: string, helpers) => (
  new Date(`${v}T00:00:00Z`).getTime() > Date.now() + 24 * 3600_000 ? helpers.message({ custom: '{#label} must not be after today' }) : v
));

/** Every company field with its rule; required-ness is decided by the two schemas below. */
const companyFields = {
  uscc,
  name: Joi.string().trim().min(2).max(100),
  district,
  industry: Joi.string().trim().uppercase().pattern(industryCodePattern)
    .messages({ 'string.pattern.base': 'industry must be a GB/T 4754-2017 code: a section letter A–T with an optional division or group, e.g. C33, F52, K702' }),
  establishedOn: pastDate,
  employees: Joi.number().integer().min(0).max(10_000_000),
  annualRevenue: Joi.number().integer().min(0).max(10_000_000_000_000),
  totalAssets: Joi.number().integer().min(0).max(100_000_000_000_000),
  taxRating: Joi.string().trim().insensitive().valid(...taxRatingAnswers).description('A, B, M, C or D; "unknown" (or omitted) when the applicant does not know it'),
  hasBankLoan: Joi.boolean(),
  overdueCount: Joi.number().integer().min(0).max(1000),
  collateral: Joi.array().items(Joi.string().valid(...collateralKinds)).unique().max(collateralKinds.length)
    .custom((v: string[], helpers) => (v.includes('none') && v.length > 1 ? helpers.message({ custom: '"none" cannot be combined with other collateral' }) : v)),
  guaranteeAvailable: Joi.boolean(),
  certifications: Joi.array().items(Joi.string().valid(...certifications)).unique().max(certifications.length)
    .description('certifications held; an empty list: none; omitted: not answered'),
};

/** Fields an application may leave open: criteria on them then read "unknown" and the bank checks them. */
const optionalInApplications = new Set(['totalAssets', 'taxRating', 'certifications']);

/** A complete company (applications): every field is required but those above; an omitted rating is stored as "unknown". */
export const companySchema = Joi.object(Object.fromEntries(Object.entries(companyFields).map(([k, s]) => [k,
  k === 'taxRating' ? s.default('unknown') : optionalInApplications.has(k) ? s : s.required()])));

/** A profile for matching: any field may be missing (its criteria then read "unknown"), none may be wrong. */
export const profileSchema = Joi.object(companyFields);

export const needSchema = Joi.object({
  amount: Joi.number().integer().min(1000).max(10_000_000_000).required(),
  termMonths: Joi.number().integer().min(1).max(360).required(),
  purpose: Joi.string().trim().max(200).allow(''),
});

export const matchBody = Joi.object({
  company: profileSchema.required(),
  need: needSchema.required(),
  limit: Joi.number().integer().min(1).max(1000)
    .description('how many results to return; by default every eligible product and the 10 best of the rest'),
  lang: Joi.string().valid('zh', 'en')
    .description('messages and hints in this language only; without it (and without Accept-Language) both'),
}).required()
  .example({ company: { uscc: '91441200MA4W1234XY', name: '肇庆市高要区金利五金制品有限公司', district: '441204', industry: 'C33', establishedOn: '2019-05-10', employees: 45, annualRevenue: 18000000, totalAssets: 12000000, taxRating: 'B', hasBankLoan: false, overdueCount: 0, collateral: ['equipment'], guaranteeAvailable: false }, need: { amount: 1000000, termMonths: 12, purpose: '采购原材料' }, limit: 20 });

export interface MatchInput {
  company: CompanyProfile;
  need: Need;
  limit?: number;
  lang?: 'zh' | 'en';
}
