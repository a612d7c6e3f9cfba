import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

const KEY_LENGTH = 32;
const PARAMS = { N: 16384, r: 8, p: 1 };

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, base64; the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LENGTH, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

let checksRun = 0;

/** How many password verifications (one scrypt each) this process has run: lets a test prove a burst was cut short. */
export function passwordChecksRun(): number {
  return checksRun;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  checksRun++;
  const [scheme, n, r, p, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const key = await scryptAsync(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}

/** A hash of a random password, verified against when the username is unknown so timing does not reveal it. */
export const decoyHash = hashPassword(randomBytes(16).toString('hex'));

/** A readable random password for generated accounts (no 0/O/1/l). */
export function generatePassword(length = 16): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

// ---- strength ----

/** zxcvbn's feedback in words (its own English pack is not installed; these are its messages). */
const translations = {
  warnings: {
    straightRow: 'Straight rows of keys on the keyboard are easy to guess.',
    keyPattern: 'Short keyboard patterns are easy to guess.',
    simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
    extendedRepeat: 'Repeated patterns like "abcabcabc" are easy to guess.',
    sequences: 'Common sequences like "abc" are easy to guess.',
    recentYears: 'Recent years are easy to guess.',
    dates: 'Dates are easy to guess.',
    topTen: 'This is one of the most used passwords.',
    topHundred: 'This is a very frequently used password.',
    common: 'This is a commonly used password.',
    similarToCommon: 'This is similar to a commonly used password.',
    wordByItself: 'A single word is easy to guess.',
    namesByThemselves: 'Single names or surnames are easy to guess.',
    commonNames: 'Common names and surnames are easy to guess.',
    userInputs: 'It contains the username or the person\'s name.',
    pwned: 'This password was exposed in a data breach.',
  },
  suggestions: {
    l33t: 'Avoid predictable letter substitutions like "@" for "a".',
    reverseWords: 'Avoid reversed spellings of common words.',
    allUppercase: 'Capitalise some, but not all letters.',
    capitalization: 'Capitalise more than the first letter.',
    dates: 'Avoid dates and years associated with the person.',
    recentYears: 'Avoid recent years.',
    associatedYears: 'Avoid years associated with the person.',
    sequences: 'Avoid common character sequences.',
    repeated: 'Avoid repeated words and characters.',
    longerKeyboardPattern: 'Use longer keyboard patterns and change direction several times.',
    anotherWord: 'Add more words that are less common.',
    useWords: 'Use several words, but avoid common phrases.',
    noNeed: 'A few uncommon words make a strong password without symbols, digits or capitals.',
    pwned: 'If it is used elsewhere, change it there too.',
  },
  timeEstimation: {
    ltSecond: 'less than a second', second: '{base} second', seconds: '{base} seconds', minute: '{base} minute',
    minutes: '{base} minutes', hour: '{base} hour', hours: '{base} hours', day: '{base} day', days: '{base} days',
    month: '{base} month', months: '{base} months', year: '{base} year', years: '{base} years', centuries: 'centuries',
  },
};

/** The lowest zxcvbn score (0–4) a staff password may have. */
export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;

/**
 * Why a password may not be used, or undefined when it may: it equals the username, or zxcvbn (with
 * the common dictionaries and the account's own words, such as its username and name) scores it
 * below 3. The reason carries zxcvbn's own feedback.
 */
export function passwordWeakness(password: string, userInputs: (string | null | undefined)[] = []): string | undefined {
  const inputs = userInputs.filter((s): s is string => Boolean(s));
  if (inputs.some((s) => s.toLowerCase() === password.toLowerCase())) return 'password must not be the username or the name';
  estimator ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs, translations });
  const { score, feedback } = estimator.check(password, inputs);
  if (score >= MIN_PASSWORD_SCORE) return undefined;
  const advice = [feedback.warning, ...feedback.suggestions].filter(Boolean).join(' ');
  return `password is too easy to guess (strength ${score} of 4, ${MIN_PASSWORD_SCORE} needed).${advice ? ` ${advice}` : ' Use a longer phrase of uncommon words.'}`;
}
