import Joi from 'joi';
import type { CompanyProfile, Need } from '../../matchers/facts';
import { coachingStatuses, type CoachingStatus } from '../../server/domain/coaching';
import { day, id, paging, type Paging } from '../../server/schemas';
import { phoneSchema } from '../applications/schema';
import { needSchema, profileSchema, uscc } from '../match/schema';

const gap = Joi.object({
  /** The matcher's criterion name (minYearsInOperation, taxRatings …) or the desk's own word for the gap. */
  criterion: Joi.string().trim().min(1).max(60).required(),
  /** The matcher's hint, as the page showed it. */
  hint: Joi.string().trim().max(300).allow(''),
  plan: Joi.string().trim().min(1).max(500).required(),
  dueOn: day.required(),
});

export const createCoachingBody = Joi.object({
  uscc: uscc.required(),
  companyName: Joi.string().trim().min(2).max(100).required(),
  phone: phoneSchema,
  /** The company agreed at the desk to be sent its due dates by SMS. */
  smsOptIn: Joi.boolean().default(false),
  targetProductIds: Joi.array().items(id).unique().min(1).max(5).required(),
  gaps: Joi.array().items(gap).min(1).max(20).required(),
  /** The profile and need of the near miss: with them, the case is re-matched and turns ready by itself. */
  company: profileSchema,
  need: needSchema,
  note: Joi.string().trim().max(2000).allow(''),
}).and('company', 'need').required()
  .example({
    uscc: '91441204MA4W1234XQ', companyName: '肇庆市高要区金利五金制品有限公司', phone: '13800138000', smsOptIn: true, targetProductIds: [17],
    gaps: [{ criterion: 'taxRatings', hint: '纳税信用等级达到B级即可申请', plan: '补报2025年度纳税申报，申请信用修复', dueOn: '2027-06-30' }],
  });

export const updateCoachingBody = Joi.object({
  status: Joi.string().valid(...coachingStatuses),
  note: Joi.string().trim().max(2000).allow(''),
  /** The application the company sent (its id): linked, and the case moves to applied. */
  applicationId: id,
  gaps: Joi.array().items(Joi.object({ id: id.required(), done: Joi.boolean().required() })).max(20),
}).min(1).required()
  .example({ status: 'closed', note: '企业已通过其他渠道获得融资' });

export const listCoachingQuery = Joi.object({
  status: Joi.string().valid(...coachingStatuses),
  /** Cases with an unfinished gap due on or before this day. */
  due: day,
  uscc,
  ...paging,
});

export const coachingReportQuery = Joi.object({ from: day, to: day });

export interface CreateCoachingInput {
  uscc: string;
  companyName: string;
  phone?: string;
  smsOptIn: boolean;
  targetProductIds: number[];
  gaps: { criterion: string; hint?: string; plan: string; dueOn: string }[];
  company?: CompanyProfile;
  need?: Need;
  note?: string;
}
export interface UpdateCoachingInput {
  status?: CoachingStatus;
  note?: string;
  applicationId?: number;
  gaps?: { id: number; done: boolean }[];
}
export type ListCoachingQuery = { status?: CoachingStatus; due?: string; uscc?: string } & Paging;
