import Joi from 'joi';
import { districtCodePattern } from './domain/catalogue';
import { isDistrictOf, type CityProfile } from './domain/cities';

/** Shared pieces of request schemas. */
export const id = Joi.number().integer().min(1).max(2147483647);
export const idParams = Joi.object({ id: id.required() });
export const paging = {
  page: Joi.number().integer().min(1).max(100000).default(1),
  pageSize: Joi.number().integer().min(1).max(200).default(20),
};
export interface Paging {
  page: number;
  pageSize: number;
}

/** The `{items, total, page, pageSize}` shape every list answers with. */
export function listOf<T>(items: T[], total: number, p: Paging) {
  return { items, total, page: p.page, pageSize: p.pageSize };
}

/** The years a date may fall in: anything outside is a typo (or an attack on a date function), not a date. */
const YEARS = { min: 1900, max: 2100 };

/** Whether y-m-d (and h:m:s) names a moment that exists: February 30th or 24:61 do not. */
function exists(y: number, m: number, d: number, h = 0, min = 0, s = 0): boolean {
  const t = new Date(Date.UTC(y, m - 1, d, h, min, s));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === min && t.getUTCSeconds() === s;
}

/** A calendar day `YYYY-MM-DD` that exists, in 1900–2100; stays a string. (`date: true` marks both date rules for the fuzz test.) */
export const day = Joi.string().custom((v: string, helpers) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m || !exists(Number(m[1]), Number(m[2]), Number(m[3]))) return helpers.message({ custom: '{#label} must be a date YYYY-MM-DD that exists' });
  if (Number(m[1]) < YEARS.min || Number(m[1]) > YEARS.max) return helpers.message({ custom: `{#label} must be a date between ${YEARS.min} and ${YEARS.max}` });
  return v;
}).meta({ format: 'date', date: true });

const DAY = 86_400_000;

/**
 * An ISO 8601 date or date-time that exists, in 1900–2100, as a Date. Days are Shanghai days: a date alone is
 * the start of that day (00:00 +08:00), or for the upper bound of a range its last millisecond (so a `to` of
 * 2026-12-01 keeps everything before 2026-12-02 00:00 +08:00); a date-time without an offset is Shanghai time.
 */
function dateTimeRule(bound: 'start' | 'end') {
  return Joi.string().custom((v: string, helpers) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?$/.exec(v);
    if (!m || !exists(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0))) {
      return helpers.message({ custom: '{#label} must be an ISO 8601 date or date-time that exists' });
    }
    if (Number(m[1]) < YEARS.min || Number(m[1]) > YEARS.max) return helpers.message({ custom: `{#label} must be a date between ${YEARS.min} and ${YEARS.max}` });
    if (m[4] === undefined) {
      const start = new Date(`${v}T00:00:00+08:00`);
      return bound === 'start' ? start : new Date(start.getTime() + DAY - 1);
    }
    return new Date(m[7] ? v : `${v}+08:00`);
  }).meta({ date: true });
}

/** A moment (`2026-03-01`, `2026-03-01T10:00:00+08:00`); a date alone is the start of that Shanghai day. */
export const dateTime = dateTimeRule('start');
/** The inclusive upper bound of a range (`to`): a date alone is the end of that Shanghai day. */
export const dateTimeUpTo = dateTimeRule('end');

/** What a validation knows besides the value: the city the service runs for (the validate middleware passes config's). */
export interface ValidationContext {
  city?: CityProfile;
}

/**
 * A district of the city this service runs for: a GB/T 2260 code its profile lists (another city's code is a
 * 400 naming the field). The city comes with each validation as joi context (`{context: {city}}`); validated
 * without one (an OpenAPI example), only the code's shape can be checked.
 */
export const district = Joi.string().pattern(districtCodePattern)
  .messages({ 'string.pattern.base': '{#label} must be a 6-digit GB/T 2260 district code' })
  .custom((v: string, helpers) => {
    const city = (helpers.prefs.context as ValidationContext | undefined)?.city;
    // A code of the wrong shape is already reported by the pattern (abortEarly: false runs every rule).
    if (!city || !districtCodePattern.test(v) || isDistrictOf(city, v)) return v;
    const list = Object.entries(city.districts).map(([code, n]) => `${code} ${n.zh}`).join(', ');
    return helpers.message({ custom: `{#label} must be a district of ${city.name.zh} (${city.name.en}): ${list}` });
  })
  .description('a district (GB/T 2260) of the city the service runs for: the keys of GET /api/city districts');
