import type { AppContext } from '../context';
import { ValidationError } from '../errors';
import { phoneTokenValid, type PhonePurpose } from '../phone-token';

/**
 * The one check that a request's phone was verified (PHONE_VERIFICATION=required): missing or wrong
 * (another phone, another purpose, expired, forged) is a 400 naming `phoneToken`. With `off` (kiosks,
 * tests) the token is not asked for, unless `always` (lookup and watches, which answer by phone).
 */
export function requirePhoneToken(ctx: AppContext, token: string | undefined, phone: string, purpose: PhonePurpose, always = false): void {
  if (!always && ctx.config.phoneVerification === 'off') return;
  if (phoneTokenValid(ctx.config.jwtSecret, token, phone, purpose, ctx.clock.now())) return;
  const message = token
    ? `phoneToken is not valid for this phone and purpose "${purpose}" (or has expired): verify the phone again`
    : `phoneToken is required: verify the phone with an SMS code (purpose "${purpose}") first`;
  throw new ValidationError([{ in: 'body', path: 'phoneToken', message }]);
}
