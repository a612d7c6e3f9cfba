import { createHmac, randomInt } from 'node:crypto';
import { hitRateLimit } from '../../models/rate-limits';
import { insertPhoneCode } from '../../models/phone-codes';
import type { AppContext } from '../context';
import { TooManyRequestsError } from '../errors';
import type { PhonePurpose } from '../phone-token';
import { queueSms } from '../sms/outbox';

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_TRIES = 5;
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** SPEC: per phone 1 a minute and 5 an hour, per client 20 an hour. */
const LIMITS = { phoneMinute: 1, phoneHour: 5, clientHour: 20 };

/** What is kept of a code: its HMAC under the service's secret, bound to the phone and purpose. */
export const codeHash = (secret: string, phone: string, purpose: string, code: string) =>
  createHmac('sha256', `${secret}:phone-code`).update(`${phone}:${purpose}:${code}`).digest('hex');

/** Counts one request against a window; throws 429 with Retry-After when it is past the limit. */
async function spend(ctx: AppContext, key: string, limit: number, windowMs: number, what: string) {
  const now = ctx.clock.now();
  const { hits, resetAt } = await hitRateLimit(ctx.db, key, windowMs, now);
  if (hits > limit) {
    throw new TooManyRequestsError((resetAt.getTime() - now.getTime()) / 1000, { code: 'rate_limited', detail: `Too many codes ${what}; try again later.` });
  }
}

/**
 * Sends a 6-digit code by SMS (an urgent message: it ignores quiet hours). Only its hash is kept; a new
 * code replaces the phone's earlier one for the purpose. The client's budget is spent first, so one
 * address cannot use up strangers' phone budgets past its own 20 an hour.
 */
export async function requestPhoneCode(ctx: AppContext, input: { phone: string; purpose: PhonePurpose }, ip: string | undefined) {
  await spend(ctx, `phone-code:client:${ip ?? 'unknown'}`, LIMITS.clientHour, HOUR, 'from this address');
  await spend(ctx, `phone-code:minute:${input.phone}`, LIMITS.phoneMinute, MINUTE, 'for this phone');
  await spend(ctx, `phone-code:hour:${input.phone}`, LIMITS.phoneHour, HOUR, 'for this phone');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await insertPhoneCode(tx, {
      phone: input.phone, purpose: input.purpose, codeHash: codeHash(ctx.config.jwtSecret, input.phone, input.purpose, code),
      triesLeft: CODE_TRIES, createdAt: now, expiresAt: new Date(now.getTime() + CODE_TTL_MS),
    });
    await queueSms(tx, ctx.config, { phone: input.phone, template: 'code', purpose: `code:${input.purpose}`, params: { code } }, now);
  });
  const dev = ctx.config.nodeEnv === 'development' && ctx.config.sms.provider === 'log';
  return { expiresInSeconds: CODE_TTL_MS / 1000, resendAfterSeconds: MINUTE / 1000, ...(dev ? { devCode: code } : {}) };
}
