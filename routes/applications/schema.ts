import Joi from 'joi';
import type { CompanyProfile, Need } from '../../matchers/facts';
import { id } from '../../server/schemas';
import { MOBILE_PHONE } from '../../server/domain/phone';
import { CONSENT_VERSION } from '../../server/domain/consent';
import { companySchema, needSchema } from '../match/schema';

/** Mainland mobile numbers. */
export const phoneSchema = Joi.string().trim().pattern(MOBILE_PHONE).messages({ 'string.pattern.base': 'phone must be a mainland mobile number of 11 digits starting 13–19' });

const consentSchema = Joi.object({
  version: Joi.string().trim().max(40).required(),
  banks: Joi.array().items(id).unique().min(1).max(50).required(),
});

export const submitApplicationBody = Joi.object({
  channelCode: Joi.string().trim().uppercase().pattern(/^[0-9A-Z]{6,32}$/).messages({ 'string.pattern.base': 'channelCode is not a Rongma code' }),
  company: companySchema.required(),
  contact: Joi.object({
    name: Joi.string().trim().min(1).max(40).required(),
    phone: phoneSchema.required(),
  }).required(),
  need: needSchema.required(),
  mode: Joi.string().valid('chosen', 'open').default('chosen'),
  productIds: Joi.array().items(id).unique().min(1).max(3)
    .when('mode', { is: 'chosen', then: Joi.required(), otherwise: Joi.forbidden() }),
  consent: consentSchema.required(),
  phoneToken: Joi.string().trim().max(500),
}).required()
  .example({ channelCode: 'ZQDESK01', company: { uscc: '91441200MA4W1234XY', name: '肇庆市高要区金利五金制品有限公司', district: '441204', industry: 'C33', establishedOn: '2019-05-10', employees: 45, annualRevenue: 18000000, totalAssets: 12000000, taxRating: 'B', hasBankLoan: false, overdueCount: 0, collateral: ['equipment'], guaranteeAvailable: false }, contact: { name: '李明', phone: '13800138000' }, need: { amount: 1000000, termMonths: 12, purpose: '采购原材料' }, mode: 'chosen', productIds: [17, 42], consent: { version: CONSENT_VERSION, banks: [3, 6] } });

export const lookupBody = Joi.object({
  phone: phoneSchema.required(),
  phoneToken: Joi.string().trim().max(500).required(),
}).required()
  .example({ phone: '13800138000', phoneToken: 'pt1.eyJwIjoi….3q2-7w' });

export const idempotencyKeySchema = Joi.string().trim().pattern(/^[\w.:-]{8,100}$/)
  .messages({ 'string.pattern.base': 'Idempotency-Key must be 8-100 letters, digits, dots, colons, dashes or underscores' });

export const tokenParams = Joi.object({
  token: Joi.string().pattern(/^[\w-]{20,64}$/).required().messages({ 'string.pattern.base': 'token is not a tracking token' }),
});

export const withdrawBody = Joi.object({ reason: Joi.string().trim().max(200).allow('') })
  .example({ reason: '已从其他渠道获得贷款' });

export const secondLookBody = Joi.object({
  productId: id.required(),
  consent: consentSchema.required(),
}).required()
  .example({ productId: 42, consent: { version: CONSENT_VERSION, banks: [6] } });

export const offerParams = tokenParams.keys({ offerId: id.required() });
export const offerAnswerBody = Joi.object({
  accept: Joi.boolean().required(),
  consent: consentSchema.when('accept', { is: true, then: Joi.required(), otherwise: Joi.forbidden() }),
}).required()
  .example({ accept: true, consent: { version: CONSENT_VERSION, banks: [10] } });
export interface OfferAnswerInput { accept: boolean; consent?: { version: string; banks: number[] } }

export const confirmBody = Joi.object({
  leadId: id.required(),
  outcome: Joi.string().valid('confirmed', 'disputed').required(),
  note: Joi.string().trim().max(500).allow(''),
}).required()
  .example({ leadId: 1207, outcome: 'confirmed' });

export interface SubmitApplicationInput {
  channelCode?: string;
  company: Required<Omit<CompanyProfile, 'totalAssets' | 'certifications'>> & Pick<CompanyProfile, 'totalAssets' | 'certifications'>;
  contact: { name: string; phone: string };
  need: Need;
  mode: 'chosen' | 'open';
  productIds?: number[];
  consent: { version: string; banks: number[] };
  /** From POST /api/phone-codes/verify (purpose apply) for contact.phone; required under PHONE_VERIFICATION=required. */
  phoneToken?: string;
}
export interface SecondLookInput {
  productId: number;
  consent: { version: string; banks: number[] };
}
export interface ConfirmInput {
  leadId: number;
  outcome: 'confirmed' | 'disputed';
  note?: string;
}
