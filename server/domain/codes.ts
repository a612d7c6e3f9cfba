import { randomBytes } from 'node:crypto';

/** Crockford-style alphabet: no I, L, O, U, so codes read aloud and typed from a poster survive. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random code of `length` characters, 5 bits each (10 characters: 50 bits, unguessable by scanning). */
export function randomCode(length = 10): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! & 31];
  return out;
}

/** A tracking token: 24 bytes (192 bits) of randomness, URL-safe. */
export function randomToken(): string {
  return randomBytes(24).toString('base64url');
}
