import Joi from 'joi';
import { answer, int, isoTime } from '../docs/shapes';

/** The response schemas of routes/phone-codes/service.ts. */

export const phoneCodeSentResponse = answer({
  expiresInSeconds: int, resendAfterSeconds: int,
  devCode: Joi.string().optional().description('only with SMS_PROVIDER=log in development'),
});
export const phoneTokenResponse = answer({ phoneToken: Joi.string().description('send as phoneToken, for this phone and purpose'), expiresAt: isoTime });
