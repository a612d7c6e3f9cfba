/**
 * Unified Social Credit Code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-character set
 * without I, O, S, V and Z; the last is a check character over the first 17.
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const FORMAT = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** The check character for the first 17 characters. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return CHARSET[(31 - (sum % 31)) % 31]!;
}

/**
 * True for a well-formed code with the right check character. Upper case only: callers that accept
 * user input upper-case it first (the request schemas do), so lower case is treated the same
 * everywhere: converted at the edge, never silently accepted here.
 */
export function isValidUscc(code: string): boolean {
  return FORMAT.test(code) && usccCheckChar(code.slice(0, 17)) === code[17];
}
