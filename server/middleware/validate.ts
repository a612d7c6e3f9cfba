import type { NextFunction, Request, Response } from 'express';
import type Joi from 'joi';
import { ValidationError, type FieldError } from '../errors';

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

/**
 * Where a value holds a NUL character (U+0000), in a string or a key, at any depth: PostgreSQL refuses it in
 * text and jsonb, so it is a 400 naming the field here, for every route and every schema at once. Imports run
 * their rows through it too.
 */
export function nulErrors(value: unknown, part: FieldError['in'] | undefined, path: (string | number)[] = []): FieldError[] {
  const at = (p: (string | number)[]) => ({ ...(part ? { in: part } : {}), path: p.join('.') || part || 'value', message: `${p.join('.') || part || 'value'} must not contain a NUL character` });
  if (typeof value === 'string') return value.includes('\u0000') ? [at(path)] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulErrors(v, part, [...path, i]));
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.entries(value).flatMap(([k, v]) => (k.includes('\u0000') ? [at([...path, k.replaceAll('\u0000', '\\0')])] : nulErrors(v, part, [...path, k])));
  }
  return [];
}

/**
 * Validates params, query and body against Joi schemas; every failure is reported at once with its
 * field path. The cleaned values land on `res.locals.input` (Express 5 makes `req.query` read-only).
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
      const { value, error } = schema.validate(raw, options);
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
