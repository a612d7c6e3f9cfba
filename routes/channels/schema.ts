import Joi from 'joi';
import { channelKinds, type ChannelKind } from '../../models/channels';
import { dateTime, district, id, paging, type Paging } from '../../server/schemas';

const name = Joi.string().trim().min(2).max(60);

export const createChannelBody = Joi.object({
  name: name.required(),
  kind: Joi.string().valid(...channelKinds).required(),
  bankId: id,
  branchId: id,
  district,
  expiresAt: dateTime.custom((v: Date, helpers) => (v.getTime() > Date.now() ? v : helpers.message({ custom: 'expiresAt must be in the future' }))),
}).required()
  .example({ name: '高要区政务服务中心融资窗口', kind: 'desk', district: '441204' });

export const updateChannelBody = Joi.object({
  name,
  active: Joi.boolean(),
  expiresAt: dateTime.allow(null),
}).min(1).required()
  .example({ active: false });

export const listChannelsQuery = Joi.object({
  kind: Joi.string().valid(...channelKinds),
  bankId: id,
  active: Joi.boolean(),
  ...paging,
});

export const codeParams = Joi.object({
  code: Joi.string().trim().uppercase().pattern(/^[0-9A-Z]{6,32}$/).required().messages({ 'string.pattern.base': 'code is not a Rongma code' }),
});

export const posterQuery = Joi.object({
  lang: Joi.string().valid('zh', 'en').default('zh'),
});
export interface PosterQuery {
  lang: 'zh' | 'en';
}

export const qrQuery = Joi.object({
  size: Joi.number().integer().min(128).max(2048).default(512),
});

export interface CreateChannelInput {
  name: string;
  kind: ChannelKind;
  bankId?: number;
  branchId?: number;
  district?: string;
  expiresAt?: Date;
}
export interface UpdateChannelInput {
  name?: string;
  active?: boolean;
  expiresAt?: Date | null;
}
export interface ListChannelsQuery extends Paging {
  kind?: ChannelKind;
  bankId?: number;
  active?: boolean;
}
