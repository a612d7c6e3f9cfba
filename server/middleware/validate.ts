import type { NextFunction, Request, Response } from 'express';
import type Joi from 'joi';
import { ValidationError, type FieldError } from '../errors';
import type { ValidationContext } from '../schemas';

type Part = 'params' | 'query' | 'body';
export type RequestSchemas = Partial<Record<Part, Joi.Schema>>;

const options: Joi.ValidationOptions = {
  abortEarly: false,
  stripUnknown: true,
  convert: true,
  errors: { wrap: { label: false } },
};

/** Marks a validating middleware with its schemas, so the OpenAPI document is built from the very same ones. */
const VALIDATES = Symbol('validates');

/** Half of a surrogate pair on its own (with the u flag, a well-formed pair is one code point and does not match). */
const loneSurrogate = /\p{Cs}/u;

/** What is wrong with a string PostgreSQL cannot store: a NUL character, or a lone surrogate (not well-formed UTF-16). */
function badText(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain a NUL character';
  if (loneSurrogate.test(s)) return 'must be well-formed text (it holds a lone surrogate, half of a character)';
  return undefined;
}

/** Whether any string or key in `value`, at any depth, is bad text: the common answer (no) without allocating. */
function holdsBadText(value: unknown): boolean {
  if (typeof value === 'string') return badText(value) !== undefined;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (holdsBadText(v)) return true;
    return false;
  }
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    if (badText(k) !== undefined || holdsBadText((value as Record<string, unknown>)[k])) return true;
  }
  return false;
}

/**
 * Where a value holds text PostgreSQL refuses in text and jsonb (a NUL character, U+0000, or a lone
 * surrogate), in a string or a key, at any depth: a 400 naming the field here, for every route and every
 * schema at once. Imports run their rows through it too.
 */
export function nulErrors(value: unknown, part: FieldError['in'] | undefined, path: (string | number)[] = []): FieldError[] {
  if (path.length === 0 && !holdsBadText(value)) return [];
  const at = (p: (string | number)[], message: string) => ({ ...(part ? { in: part } : {}), path: p.join('.') || part || 'value', message: `${p.join('.') || part || 'value'} ${message}` });
  if (typeof value === 'string') {
    const bad = badText(value);
    return bad ? [at(path, bad)] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => nulErrors(v, part, [...path, i]));
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.entries(value).flatMap(([k, v]) => {
      const bad = badText(k);
      return bad ? [at([...path, k.replaceAll('\u0000', '\\0').replace(/\p{Cs}/gu, '\uFFFD')], bad)] : nulErrors(v, part, [...path, k]);
    });
  }
  return [];
}

/** The options with this app's context, built once per context (not per request: joi merges them on every call). */
const optionsByContext = new WeakMap<object, Joi.ValidationOptions>();
function optionsFor(context: ValidationContext | undefined): Joi.ValidationOptions {
  if (!context) return options;
  let built = optionsByContext.get(context);
  if (!built) optionsByContext.set(context, (built = { ...options, context }));
  return built;
}

/**
 * Validates params, query and body against Joi schemas; every failure is reported at once with its
 * field path. The cleaned values land on `res.locals.input` (Express 5 makes `req.query` read-only). Rules that
 * depend on the running service (a district of its city) read `app.locals.validation`, which createApp sets.
 */
export function validate(schemas: RequestSchemas) {
  const middleware = (req: Request, res: Response, next: NextFunction) => {
    const errors: FieldError[] = [];
    const input: Record<string, unknown> = {};
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      const raw = req[part] ?? (part === 'body' ? undefined : {});
      const nul = nulErrors(raw, part);
      if (nul.length > 0) {
        errors.push(...nul);
        continue;
      }
      if (!schema) continue;
      const { value, error } = schema.validate(raw, optionsFor(req.app.locals.validation as ValidationContext | undefined));
      if (error) {
        for (const d of error.details) errors.push({ in: part, path: d.path.join('.') || part, message: d.message });
      } else {
        input[part] = value;
      }
    }
    if (errors.length > 0) throw new ValidationError(errors);
    res.locals.input = input;
    next();
  };
  return Object.assign(middleware, { [VALIDATES]: schemas });
}

/** For routes that take no parameters, query or body: says so (and the OpenAPI test knows it was decided). */
export const noInput = validate({});

/** The schemas a middleware validates with, if it is one of ours. */
export function schemasOf(fn: unknown): RequestSchemas | undefined {
  return (fn as { [VALIDATES]?: RequestSchemas } | undefined)?.[VALIDATES];
}

/** The validated input of this request, typed by the caller. */
export function inputOf<T>(res: Response): T {
  return res.locals.input as T;
}
