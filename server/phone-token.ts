import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A phoneToken says "this phone answered a code for this purpose" for 30 minutes: stateless, HMAC-signed
 * with the service secret, bound to the phone and purpose it was issued for (a lookup token does not
 * submit a request, and one phone's token does not vouch for another).
 */
export const PHONE_TOKEN_TTL_MS = 30 * 60_000;
export const phonePurposes = ['apply', 'lookup', 'consent', 'watch'] as const;
export type PhonePurpose = (typeof phonePurposes)[number];

const mac = (secret: string, payload: string) => createHmac('sha256', `${secret}:phone-token`).update(payload).digest('base64url');

export function issuePhoneToken(secret: string, phone: string, purpose: PhonePurpose, now: Date): { phoneToken: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + PHONE_TOKEN_TTL_MS);
  const payload = Buffer.from(JSON.stringify({ p: phone, u: purpose, e: expiresAt.getTime() })).toString('base64url');
  return { phoneToken: `pt1.${payload}.${mac(secret, payload)}`, expiresAt };
}

/** Whether the token is genuine, unexpired, and for exactly this phone and purpose. */
export function phoneTokenValid(secret: string, token: string | undefined, phone: string, purpose: PhonePurpose, now: Date): boolean {
  const [version, payload, signature] = (token ?? '').split('.');
  if (version !== 'pt1' || !payload || !signature) return false;
  const given = Buffer.from(signature);
  const expected = Buffer.from(mac(secret, payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p?: unknown; u?: unknown; e?: unknown };
    return claims.p === phone && claims.u === purpose && typeof claims.e === 'number' && claims.e > now.getTime();
  } catch {
    return false;
  }
}

/** The phone a genuine, unexpired token of this purpose vouches for (a watch takes its phone from the token). */
export function phoneOfToken(secret: string, token: string | undefined, purpose: PhonePurpose, now: Date): string | null {
  const payload = (token ?? '').split('.')[1];
  if (!payload) return null;
  try {
    const { p } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { p?: unknown };
    return typeof p === 'string' && phoneTokenValid(secret, token, p, purpose, now) ? p : null;
  } catch {
    return null;
  }
}
