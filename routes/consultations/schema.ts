import Joi from 'joi';
import { consultationChannels, consultationOutcomes, type ConsultationChannel, type ConsultationOutcome } from '../../models/consultations';
import { day, id, paging, type Paging } from '../../server/schemas';
import { phoneSchema } from '../applications/schema';
import { uscc } from '../match/schema';

export const createConsultationBody = Joi.object({
  uscc,
  companyName: Joi.string().trim().min(2).max(100).required(),
  contactName: Joi.string().trim().min(1).max(40),
  phone: phoneSchema,
  channel: Joi.string().valid(...consultationChannels).required(),
  topics: Joi.array().items(Joi.string().trim().min(1).max(40)).unique().min(1).max(10).required(),
  productIds: Joi.array().items(id).unique().max(20).default([]),
  note: Joi.string().trim().max(2000).allow(''),
  outcome: Joi.string().valid(...consultationOutcomes).required(),
}).required()
  .example({ uscc: '91441204MA4W1234XQ', companyName: '肇庆市高要区金利五金制品有限公司', contactName: '李明', phone: '13800138000', channel: 'walk_in', topics: ['首贷', '信用贷款'], productIds: [17], note: '了解农行首户e贷材料', outcome: 'informed' });

/** `from`/`to` are Shanghai days, `to` inclusive. */
const range = { from: day, to: day };

export const listConsultationsQuery = Joi.object({
  ...range,
  outcome: Joi.string().valid(...consultationOutcomes),
  q: Joi.string().trim().min(1).max(100),
  ...paging,
});

export const exportConsultationsQuery = Joi.object({
  ...range,
  outcome: Joi.string().valid(...consultationOutcomes),
  q: Joi.string().trim().min(1).max(100),
});

export const consultationStatsQuery = Joi.object(range);

export interface CreateConsultationInput {
  uscc?: string;
  companyName: string;
  contactName?: string;
  phone?: string;
  channel: ConsultationChannel;
  topics: string[];
  productIds: number[];
  note?: string;
  outcome: ConsultationOutcome;
}
export interface ConsultationQuery {
  from?: string;
  to?: string;
  outcome?: ConsultationOutcome;
  q?: string;
}
export type ListConsultationsQuery = ConsultationQuery & Paging;
