import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Router } from 'express';
import type Joi from 'joi';
import parse from 'joi-to-json';
import { schemasOf, type RequestSchemas } from '../../server/middleware/validate';
import { rootDir } from '../../server/paths';
import { accessOf, rateLimitOf, type Access } from '../../server/route-marks';
import { operationNotes, tagNotes, type OperationNote } from './operations';
import { deliverySchema, problemSchema, securitySchemes, webhooks } from './components';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[]; examples?: unknown[] };
interface RouteLayer {
  route?: { path: string | string[]; methods: Record<string, boolean>; stack: { handle: unknown }[] };
}
export interface OpenApiBuild {
  document: Record<string, unknown>;
  /** What keeps the document from being complete: a route without a schema or a note, a JSON answer without its schema, a note without a route. */
  gaps: string[];
}

const anyType = ['array', 'boolean', 'number', 'object', 'string', 'null'];
const isAny = (s: unknown) => typeof s === 'object' && s !== null && Object.keys(s).length === 0;
const isNever = (s: unknown) => typeof s === 'object' && s !== null && Object.keys(s).length === 1 && isAny((s as JsonSchema).not);

/**
 * What joi-to-json writes for joi's "any" and for conditional presence, made valid and plain: `Joi.any()`
 * becomes `type: [every type]` (an array type without `items`, an error to Spectral) and is written `{}` here;
 * `.when(…, {then: Joi.required(), otherwise: Joi.forbidden()})` becomes `oneOf: [any, not {}]`, which
 * constrains nothing (presence is the object's business), so it is dropped. `.pattern(/re/, value)` is written
 * both as `patternProperties` (right) and as a property named `/re/` (wrong), which goes.
 */
export function tidySchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidySchema);
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonSchema = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'examples' || k === 'example' || k === 'const' || k === 'enum' || k === 'default' ? v : tidySchema(v)]));
  if (Array.isArray(out.type) && anyType.every((t) => (out.type as string[]).includes(t))) delete out.type;
  const patterns = out.patternProperties as Record<string, unknown> | undefined;
  if (patterns && out.properties) for (const p of Object.keys(patterns)) delete out.properties[`/${p}/`];
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = out[key] as unknown[] | undefined;
    if (branches && branches.some(isAny) && branches.every((b) => isAny(b) || isNever(b))) delete out[key];
  }
  return out;
}

const toSchema = (schema: Joi.Schema) => tidySchema(parse(schema, 'open-api-3.1')) as JsonSchema;
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const errorResponses = {
  BadRequest: problem('Invalid input: `errors` names every field at fault (also malformed JSON, 413 for a body over 1 MB).'),
  Unauthorized: problem('No valid session: sign in (code unauthorized or invalid_token).'),
  Forbidden: problem('Signed in, but this role may not do this (code forbidden), or a cookie write failed the CSRF check (code csrf).'),
  NotFound: problem('No such resource, or one outside your bank (the two are not told apart).'),
  Conflict: problem('The resource is not in a state that allows this (e.g. a lead already decided, a claim that came too late).'),
  Unprocessable: problem('Well-formed but against a business rule (e.g. terms outside the product range).'),
  TooManyRequests: problem('Rate limited; Retry-After says when to try again.'),
  Error: problem('Unexpected error; logged with the request id (X-Request-Id), nothing internal is shown.'),
};

/** Express `/:id/qr.png` → OpenAPI `/{id}/qr.png`. */
function openApiPath(mount: string, routePath: string): string {
  const joined = `/api${mount}${routePath === '/' ? '' : routePath}`;
  return joined.replace(/:(\w+)/g, '{$1}');
}

function parametersOf(where: 'path' | 'query', schema: Joi.Schema | undefined) {
  if (!schema) return [];
  const json = toSchema(schema);
  return Object.entries(json.properties ?? {}).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

function requestBodyOf(schema: Joi.Schema, consumes: string[]) {
  const json = toSchema(schema);
  const example = json.examples?.[0];
  const content = Object.fromEntries(consumes.map((type) => [type, type === 'application/json' ? { schema: json, ...(example !== undefined ? { example } : {}) } : { schema: { type: 'string' } }]));
  return { required: schema.$_getFlag('presence') === 'required', content };
}

/** A body schema must carry an example (joi `.example()`), and the example must pass the schema itself. */
function exampleGaps(key: string, schema: Joi.Schema): string[] {
  const examples = (schema.describe() as { examples?: unknown[] }).examples ?? [];
  if (examples.length === 0) return [`${key}: the body schema has no .example()`];
  return examples.flatMap((example) => {
    const { error } = schema.validate(example, { abortEarly: true });
    return error ? [`${key}: its example fails its own schema: ${error.message}`] : [];
  });
}

function securityOf(access: Access | undefined) {
  if (!access) return { security: [] };
  const staff = [{ bearerAuth: [] }, { cookieAuth: [] }];
  if (access.optional) return { security: [{}, ...staff] };
  return { security: staff, 'x-roles': access.roles ?? [] };
}

function responsesOf(note: OperationNote, schemas: RequestSchemas, access: Access | undefined, limited: boolean) {
  const status = note.status ?? 200;
  const json = note.response ? toSchema(note.response) : { type: 'object' };
  const file = (type: string) => ({ [type]: { schema: { type: 'string', ...(/^(image\/png|application\/(gzip|vnd))/.test(type) ? { format: 'binary' } : {}) } } });
  const body = { ...(note.produces ? file(note.produces) : { 'application/json': { schema: json } }), ...Object.assign({}, ...(note.alsoProduces ?? []).map(file)) };
  const responses: Record<string, unknown> = { [status]: status === 204 ? { description: 'Done; no content.' } : { description: note.en, content: body } };
  for (const [code, description] of Object.entries(note.also ?? {})) responses[code] = { description, content: body };
  const ref = (name: keyof typeof errorResponses) => ({ $ref: `#/components/responses/${name}` });
  if (schemas.params || schemas.query || schemas.body || note.headers) responses[400] = ref('BadRequest');
  if (access && !access.optional) Object.assign(responses, { 401: ref('Unauthorized'), 403: ref('Forbidden') });
  if (schemas.params) responses[404] = ref('NotFound');
  if (note.refusals?.includes(409)) responses[409] = ref('Conflict');
  if (note.refusals?.includes(422)) responses[422] = ref('Unprocessable');
  if (limited) responses[429] = ref('TooManyRequests');
  responses.default = ref('Error');
  return responses;
}

function rolesText(access: Access | undefined): string {
  if (!access) return 'Public.';
  if (access.optional) return 'Public; a staff session sees more.';
  return access.roles?.length ? `Staff: ${access.roles.join(', ')}.` : 'Any signed-in staff.';
}

function version(): string {
  return (JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8')) as { version: string }).version;
}

export interface RouteEntry {
  /** Where its router is mounted under /api ('' for the docs router). */
  mount: string;
  method: string;
  /** OpenAPI form: `/api/leads/{id}/claim`. */
  path: string;
  /** The joi schemas its validate() runs; undefined when it has none. */
  schemas: RequestSchemas | undefined;
  access: Access | undefined;
  limited: boolean;
}

/** Every route of the mount table, with what its middlewares say about it (also what the fuzz test drives). */
export function routeTable(mounts: [string, Router][]): RouteEntry[] {
  return mounts.flatMap(([mount, router]) => (router as unknown as { stack: RouteLayer[] }).stack.flatMap((layer) => {
    if (!layer.route) return [];
    const handles = layer.route.stack.map((l) => l.handle);
    const common = {
      schemas: handles.map(schemasOf).find((x) => x !== undefined),
      access: handles.map(accessOf).find((a) => a !== undefined),
      limited: handles.some((h) => rateLimitOf(h) !== undefined),
    };
    const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
    return [layer.route.path].flat().flatMap((routePath) => methods.map((method) => ({ mount, method, path: openApiPath(mount, routePath), ...common })));
  }));
}

/**
 * The OpenAPI 3.1 document of every route in the mount table, read from the routers themselves: the
 * path and method from Express, inputs from the joi schemas their `validate` runs, who may call from
 * their auth middleware, 429 from their rate limiter. Only the prose comes from `operationNotes`.
 */
export function buildOpenApi(mounts: [string, Router][]): OpenApiBuild {
  const paths: Record<string, Record<string, unknown>> = {};
  const gaps: string[] = [];
  const seen = new Set<string>();
  for (const { mount, method, path: p, schemas, access, limited } of routeTable(mounts)) {
    const key = `${method.toUpperCase()} ${p}`;
    seen.add(key);
    const note = operationNotes[key];
    if (!schemas) gaps.push(`${key}: no validate() schema (use noInput when it takes none)`);
    if (!note) gaps.push(`${key}: no entry in routes/docs/operations.ts`);
    if (schemas?.body) gaps.push(...exampleGaps(key, schemas.body));
    const n = note ?? { en: key, zh: key };
    if (!n.produces && (n.status ?? 200) !== 204 && !n.response) gaps.push(`${key}: a JSON answer without a response schema (add it to routes/<resource>/responses.ts and to its note)`);
    const tag = mount.replace(/^\//, '') || 'docs';
    if (!tagNotes[tag]) gaps.push(`${key}: its tag ${tag} has no description in tagNotes (routes/docs/operations.ts)`);
    const s = schemas ?? {};
    const headers = (n.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: false, description: h.description, schema: toSchema(h.schema) }));
    paths[p] ??= {};
    paths[p][method] = {
      operationId: `${method}${p.replace(/^\/api/, '').replace(/[{}]/g, '').split(/[/.-]/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`,
      tags: [tag],
      summary: n.en,
      'x-zh': n.zh,
      description: rolesText(access),
      parameters: [...parametersOf('path', s.params), ...parametersOf('query', s.query), ...headers],
      ...(s.body ? { requestBody: requestBodyOf(s.body, n.consumes ?? ['application/json']) } : {}),
      ...securityOf(access),
      responses: responsesOf(n, s, access, limited),
    };
  }
  for (const key of Object.keys(operationNotes)) if (!seen.has(key)) gaps.push(`${key}: noted in operations.ts but no such route`);
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Rongma (融码) API',
      version: version(),
      contact: { name: 'Rongma (融码) financing desk' },
      description: 'Bank–enterprise financing matchmaking: the credit product registry, matching, first-loan requests, bank leads and the desk\'s reports. '
        + 'Errors are application/problem+json (RFC 9457). Staff sign in with POST /api/auth/login and send the token as a bearer, or use the session cookie.',
    },
    servers: [{ url: '/' }],
    tags: Object.entries(tagNotes).map(([name, description]) => ({ name, description })),
    paths,
    webhooks,
    components: { schemas: { Problem: problemSchema, LeadDelivery: deliverySchema }, responses: errorResponses, securitySchemes },
  };
  return { document, gaps };
}
