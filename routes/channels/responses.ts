import Joi from 'joi';
import { channelKinds } from '../../models/channels';
import { answer, int, isoTime, pageOf } from '../docs/shapes';

/** The response schemas of routes/channels/present.ts. */

export const channelResponse = answer({
  id: int, code: Joi.string(), url: Joi.string().description('what the QR code holds'), name: Joi.string(), kind: Joi.string().valid(...channelKinds),
  bankId: int.allow(null), branchId: int.allow(null), district: Joi.string().allow(null), active: Joi.boolean(), expiresAt: isoTime.allow(null),
  scanCount: int, lastScanAt: isoTime.allow(null), applicationCount: int.optional().description('in lists: requests it brought'),
  qrPng: Joi.string(), qrSvg: Joi.string(), poster: Joi.string(), createdAt: isoTime,
});
export const channelListResponse = pageOf(channelResponse);
/** What the apply page learns of a live channel from its code. */
export const channelByCodeResponse = answer({ code: Joi.string(), name: Joi.string(), kind: Joi.string().valid(...channelKinds), district: Joi.string().allow(null), bankId: int.allow(null) });
