/** Fixed vocabularies of the registry, with the labels pages and exports show. */

export const productTypes = ['credit', 'tax', 'mortgage', 'guarantee', 'procurement', 'ip_pledge', 'supply_chain', 'tech', 'first_loan'] as const;
export type ProductType = (typeof productTypes)[number];

export const productStatuses = ['draft', 'published', 'retired'] as const;
export type ProductStatus = (typeof productStatuses)[number];

export const repaymentMethods = ['equal_installment', 'equal_principal', 'interest_first', 'bullet', 'revolving'] as const;
export type RepaymentMethod = (typeof repaymentMethods)[number];

/** 信用 / 保证 / 抵押 / 质押: the four ways a loan is secured in Chinese credit practice. */
export const guaranteeTypes = ['credit', 'guarantee', 'mortgage', 'pledge'] as const;
export type GuaranteeType = (typeof guaranteeTypes)[number];

export const collateralKinds = ['real_estate', 'equipment', 'receivables', 'ip', 'deposit', 'none'] as const;
export type CollateralKind = (typeof collateralKinds)[number];

export const companySizes = ['micro', 'small', 'medium', 'large'] as const;
export type CompanySize = (typeof companySizes)[number];

export const taxRatings = ['A', 'B', 'M', 'C', 'D'] as const;
export type TaxRating = (typeof taxRatings)[number];
/** What an applicant may answer for the tax credit rating: a rating, or "unknown" (many owners do not know theirs). */
export const taxRatingAnswers = [...taxRatings, 'unknown'] as const;
export type TaxRatingAnswer = (typeof taxRatingAnswers)[number];

/** Certifications of tech and growth companies (SPEC "Second wave → Company profile and matching"). */
export const certifications = ['high_tech', 'tech_sme', 'specialized', 'little_giant', 'innovative'] as const;
export type Certification = (typeof certifications)[number];
export const certificationLabels: Record<Certification, { zh: string; en: string }> = {
  high_tech: { zh: '高新技术企业', en: 'High and New Technology Enterprise' },
  tech_sme: { zh: '科技型中小企业', en: 'Tech-based SME' },
  specialized: { zh: '专精特新中小企业', en: 'Specialised and innovative SME' },
  little_giant: { zh: '专精特新"小巨人"', en: '"Little giant" specialised enterprise' },
  innovative: { zh: '创新型中小企业', en: 'Innovative SME' },
};

/** GB/T 4754-2017: a section letter A–T, optionally followed by a 2-digit division, 3-digit group or 4-digit class. */
export const industryCodePattern = /^[A-T](\d{2}|\d{3}|\d{4})?$/;
/** GB/T 2260 administrative division code (which ones a request may name: the city profile, server/domain/cities). */
export const districtCodePattern = /^\d{6}$/;
