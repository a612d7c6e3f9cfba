import { timingSafeEqual } from 'node:crypto';
import { latestCodeFor, spendTry, useCode } from '../../models/phone-codes';
import type { AppContext } from '../context';
import { AppError, TooManyRequestsError } from '../errors';
import { issuePhoneToken, type PhonePurpose } from '../phone-token';
import { codeHash } from './request-phone-code';

const codeError = (code: string, detail: string) =>
  new AppError({ status: 400, code, title: 'Invalid code', detail, errors: [{ in: 'body', path: 'code', message: detail }] });

/**
 * Checks a code (the row locked, so parallel guesses are counted one by one): right → a phoneToken for
 * this phone and purpose; wrong → 400 `code_invalid`; the fifth wrong try kills the code, and a dead
 * code answers 429 until a new one is asked for.
 */
export async function verifyPhoneCode(ctx: AppContext, input: { phone: string; purpose: PhonePurpose; code: string }) {
  const now = ctx.clock.now();
  const verdict = await ctx.db.transaction(async (tx) => {
    const row = await latestCodeFor(tx, input.phone, input.purpose);
    if (!row) return 'invalid' as const;
    if (row.triesLeft <= 0) return 'exhausted' as const;
    if (row.expiresAt <= now) return 'expired' as const;
    const given = Buffer.from(codeHash(ctx.config.jwtSecret, input.phone, input.purpose, input.code));
    if (!timingSafeEqual(given, Buffer.from(row.codeHash))) {
      await spendTry(tx, row.id);
      return 'invalid' as const;
    }
    await useCode(tx, row.id, now);
    return 'ok' as const;
  });
  if (verdict === 'exhausted') throw new TooManyRequestsError(60, { code: 'code_exhausted', detail: 'Too many wrong codes; ask for a new code.' });
  if (verdict === 'expired') throw codeError('code_expired', 'The code has expired; ask for a new one.');
  if (verdict === 'invalid') throw codeError('code_invalid', 'The code is wrong.');
  const token = issuePhoneToken(ctx.config.jwtSecret, input.phone, input.purpose, now);
  return { phoneToken: token.phoneToken, expiresAt: token.expiresAt.toISOString() };
}
