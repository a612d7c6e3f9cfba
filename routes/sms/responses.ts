import Joi from 'joi';
import { smsStatuses } from '../../models/sms';
import { answer, int, isoTime } from '../docs/shapes';

/** GET /api/admin/sms (routes/sms/index.ts presentSms): the phone masked unless the caller is an admin. */
export const smsResponse = answer({
  id: int, phone: Joi.string(), purpose: Joi.string(), text: Joi.string(), status: Joi.string().valid(...smsStatuses), attempts: int.min(0),
  lastError: Joi.string().allow(null), skippedReason: Joi.string().allow(null), createdAt: isoTime, sentAt: isoTime.allow(null),
});
export const smsListResponse = answer({ items: Joi.array().items(smsResponse) });
