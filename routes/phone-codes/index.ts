import { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../server/context';
import { inputOf, validate } from '../../server/middleware/validate';
import { phonePurposes, type PhonePurpose } from '../../server/phone-token';
import { phoneSchema } from '../applications/schema';
import { requestPhoneCode } from '../../server/commands/request-phone-code';
import { verifyPhoneCode } from '../../server/commands/verify-phone-code';

const purpose = Joi.string().valid(...phonePurposes).required();
export const phoneCodeBody = Joi.object({ phone: phoneSchema.required(), purpose }).required()
  .example({ phone: '13800138000', purpose: 'apply' });
export const verifyCodeBody = Joi.object({
  phone: phoneSchema.required(), purpose,
  code: Joi.string().trim().pattern(/^\d{6}$/).required().messages({ 'string.pattern.base': 'code must be the 6 digits of the SMS' }),
}).required()
  .example({ phone: '13800138000', purpose: 'apply', code: '123456' });

/** SMS codes that prove an applicant holds a phone (SPEC "Phone verification"). */
export function phoneCodeRoutes(ctx: AppContext): Router {
  async function request(req: Request, res: Response) {
    const { body } = inputOf<{ body: { phone: string; purpose: PhonePurpose } }>(res);
    res.status(202).set('Cache-Control', 'no-store').json(await requestPhoneCode(ctx, body, req.ip));
  }

  async function verify(_req: Request, res: Response) {
    const { body } = inputOf<{ body: { phone: string; purpose: PhonePurpose; code: string } }>(res);
    res.set('Cache-Control', 'no-store').json(await verifyPhoneCode(ctx, body));
  }

  const router = Router();
  router.post('/', validate({ body: phoneCodeBody }), request);
  router.post('/verify', validate({ body: verifyCodeBody }), verify);
  return router;
}
