import Joi from 'joi';
import { assistedStatuses, type AssistedStatus } from '../../models/assisted';
import { day, paging, type Paging } from '../../server/schemas';
import { submitApplicationBody, type SubmitApplicationInput } from '../applications/schema';

/**
 * What the desk fills in with the owner: the /apply request without its consent (the owner gives that on
 * their own phone) and without a channel (the desk is the channel).
 */
export const assistedBody = submitApplicationBody.keys({ consent: Joi.any().strip(), phoneToken: Joi.any().strip(), channelCode: Joi.any().strip() })
  .example({ company: { uscc: '91441204MA4W1234XQ', name: '肇庆市高要区金利五金制品有限公司', district: '441204', industry: 'C33', establishedOn: '2019-05-10', employees: 45, annualRevenue: 18000000, totalAssets: 12000000, taxRating: 'B', hasBankLoan: false, overdueCount: 0, collateral: ['equipment'], guaranteeAvailable: false }, contact: { name: '李明', phone: '13800138000' }, need: { amount: 1000000, termMonths: 12, purpose: '采购原材料' }, mode: 'chosen', productIds: [17] }, { override: true });

export const consentTokenParams = Joi.object({
  token: Joi.string().pattern(/^[\w-]{20,64}$/).required().messages({ 'string.pattern.base': 'token is not a consent token' }),
});

export const confirmConsentBody = Joi.object({
  phoneToken: Joi.string().trim().max(500).required(),
}).required()
  .example({ phoneToken: 'pt1.eyJwIjoiMTM4MDAxMzgwMDAiLCJ1IjoiY29uc2VudCIsImUiOjE3OTk5OTk5OTk5OTl9.c2lnbmF0dXJl' });

export const listAssistedQuery = Joi.object({
  status: Joi.string().valid(...assistedStatuses),
  ...paging,
});

export const assistedReportQuery = Joi.object({ from: day, to: day });

export type AssistedInput = Omit<SubmitApplicationInput, 'consent' | 'phoneToken' | 'channelCode'>;
export type ListAssistedQuery = { status?: AssistedStatus } & Paging;
