import { expect } from 'chai';
import fc from 'fast-check';
import { request } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { sql } from 'drizzle-orm';
import type { Router } from 'express';
import type Joi from 'joi';
import { appContext } from '../../server/app';
import { queryRows } from '../../server/sql';
import type { Role } from '../../models/users';
import { apiMounts } from '../../routes';
import { docsRoutes } from '../../routes/docs';
import { routeTable, type RouteEntry } from '../../routes/docs/build';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { hardwareMaker, requestAtBank } from '../helpers/applications';
import { publicTables } from '../helpers/db';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

/** What the validate middleware does with one part (same options), to keep only inputs it must refuse. */
const rejects = (schema: Joi.Schema | undefined, value: unknown) => schema !== undefined && schema.validate(value, { abortEarly: true, stripUnknown: true, convert: true }).error !== undefined;

/**
 * A checksum of every row of every table: any write, of any kind, changes it. Except rate_limits: counting
 * requests, refused ones included, is what a limiter is for (and where instances share their counts).
 */
async function databaseDigest(app: TestApp): Promise<string> {
  const parts = await Promise.all((await publicTables(app.db)).filter((name) => name !== 'rate_limits').map(async (name) => {
    const [row] = await queryRows<{ d: string | null }>(app.db, sql.raw(`select md5(string_agg(t::text, '|' order by t::text)) as d from "${name}" t`));
    return `${name}:${row!.d}`;
  }));
  return parts.join(',');
}

/** node:http rather than fetch: a GET may carry a body, and header values go out as given. */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sets a random (possibly new) path inside an example to a random JSON value: near-misses of a valid body. */
const mutated = (example: unknown) => fc.tuple(fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.nat(5)), { minLength: 1, maxLength: 3 }), fc.jsonValue({ maxDepth: 2 }))
  .map(([route, value]) => {
    const copy = structuredClone(example) as Record<string | number, unknown>;
    let node: Record<string | number, unknown> = copy;
    for (const key of route.slice(0, -1)) {
      const next = node[key];
      if (next === null || typeof next !== 'object') return value; // the path leaves the example: replace the whole body
      node = next as Record<string | number, unknown>;
    }
    node[route[route.length - 1]!] = value;
    return copy as unknown;
  });

const paramValue = fc.oneof(fc.constantFrom('1', '0', '-1', '2147483648', '1e3', '%2e%2e', '%00', 'null', 'ZQDESK01', 'x'.repeat(300)), fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent), fc.integer().map(String));
const queryValue = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', 'true', 'maybe', '-5', '2026-13-45', '1e999', '9'.repeat(30)), fc.integer().map(String));

/** Paths of the fields a schema checks with the shared date rules (marked `date: true`), at any depth of objects. */
function dateFields(schema: Joi.Schema | undefined): string[] {
  type Described = { metas?: Record<string, unknown>[]; keys?: Record<string, Described> };
  const walk = (d: Described, at: string[]): string[] => [
    ...((d.metas ?? []).some((m) => m.date === true) ? [at.join('.')] : []),
    ...Object.entries(d.keys ?? {}).flatMap(([k, v]) => walk(v, [...at, k])),
  ];
  return schema ? walk(schema.describe() as Described, []) : [];
}

/** Every path to a string inside a JSON value. */
function stringLeaves(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...at, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...at, k]));
  return [];
}

/** A copy of a JSON value with the value at a path replaced (objects on the way created). */
function withValue(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  const copy = structuredClone(value ?? {}) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string | number, unknown>;
  node[path[path.length - 1]!] = leaf;
  return copy;
}

const impossibleDates = ['2026-02-30', '2026-13-01', '+275760-09-13', '1899-12-31', '2101-01-01'];

describe('fuzz: malformed bodies, queries and headers to every endpoint', function () {
  this.timeout(600_000);
  let app: TestApp;
  let routes: RouteEntry[];
  const tokens: Partial<Record<Role, string>> = {};
  let initial: string;
  const seen = new Map<string, number>();

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-02T10:00')) });
    const bank = await buildLendingBank(app.db);
    await requestAtBank(app, bank.id, { company: hardwareMaker() });
    for (const role of ['admin', 'desk', 'bank_admin', 'bank_officer'] as Role[]) {
      tokens[role] = await tokenFor(app, await buildUser(app.db, { role, bankId: role.startsWith('bank') ? bank.id : undefined }));
    }
    const mounts = apiMounts(appContext({ db: app.db, config: app.config, clock: app.clock }));
    routes = routeTable([...mounts, ['', docsRoutes(mounts)] as [string, Router]]);
    initial = await databaseDigest(app);
  });
  after(() => app?.close());

  /** One malformed request for a route: broken JSON, a bad credential, or input its own schemas refuse. */
  function malformed(route: RouteEntry) {
    const staff = route.access && !route.access.optional;
    const roles = route.access?.roles?.length ? route.access.roles : (['admin', 'desk', 'bank_admin', 'bank_officer'] as Role[]);
    const paramNames = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const queryKeys = Object.keys((route.schemas?.query?.describe() as { keys?: object } | undefined)?.keys ?? {});
    const example = (route.schemas?.body?.describe() as { examples?: unknown[] } | undefined)?.examples?.[0];
    const kinds = ['json', ...(staff ? ['credential'] : []), ...(route.schemas?.params || route.schemas?.query || route.schemas?.body ? ['input'] : [])];
    return fc.record({
      kind: fc.constantFrom(...kinds),
      role: fc.constantFrom(...roles),
      params: fc.tuple(...paramNames.map(() => paramValue)),
      query: fc.dictionary(queryKeys.length ? fc.oneof(fc.constantFrom(...queryKeys), fc.string({ maxLength: 8 })) : fc.string({ maxLength: 8 }), fc.oneof(queryValue, fc.array(queryValue, { maxLength: 3 })), { maxKeys: 4 }),
      body: example !== undefined ? fc.oneof(mutated(example), fc.jsonValue({ maxDepth: 3 })) : fc.jsonValue({ maxDepth: 3 }),
      brokenJson: fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), fc.constantFrom('{', '{"a":', '[1,]', '{"a":1}}', "{'a':1}", 'undefined', '\u0000')).filter((t) => { try { JSON.parse(t); return false; } catch { return true; } }),
      credential: fc.oneof(fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`), fc.constantFrom('Bearer ', 'Basic YWRtaW46YWRtaW4=', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', `Bearer ${'a'.repeat(5000)}`)),
      extraHeaders: fc.dictionary(fc.constantFrom('idempotency-key', 'x-requested-with', 'accept', 'x-forwarded-for', 'accept-language'), fc.string({ maxLength: 40 }).filter((v) => /^[\x20-\x7e]*$/.test(v)), { maxKeys: 3 }),
    }).filter((r) => {
      if (r.kind !== 'input') return true;
      const params = Object.fromEntries(paramNames.map((n, i) => [n, decodeURIComponent(r.params[i]!)]));
      const query = parseQuery(new URLSearchParams(Object.entries(r.query).flatMap(([k, v]) => [v].flat().map((x) => [k, x]))).toString());
      return rejects(route.schemas?.params, params) || rejects(route.schemas?.query, { ...query }) || rejects(route.schemas?.body, r.body);
    });
  }

  it('answers only 4xx problem+json, stays up, and writes nothing (3,000 requests over every route)', async () => {
    const arbitrary = fc.integer({ min: 0, max: routes.length - 1 }).chain((i) => malformed(routes[i]!).map((input) => ({ route: `${routes[i]!.method} ${routes[i]!.path}`, i, input })));
    await fc.assert(fc.asyncProperty(arbitrary, async ({ i, input }) => {
      const route = routes[i]!;
      let path = route.path;
      [...route.path.matchAll(/\{(\w+)\}/g)].forEach((m, i) => (path = path.replace(m[0], input.params[i] ?? '1')));
      const qs = new URLSearchParams(Object.entries(input.query).flatMap(([k, v]) => [v].flat().map((x) => [k, x]))).toString();
      const headers: Record<string, string> = { ...input.extraHeaders };
      let body: string | undefined;
      if (input.kind === 'json') {
        headers['content-type'] = 'application/json';
        body = input.brokenJson;
        if (route.access && !route.access.optional) headers.authorization = `Bearer ${tokens[input.role]}`;
      } else if (input.kind === 'credential') {
        headers.authorization = input.credential;
      } else {
        if (route.access) headers.authorization = `Bearer ${tokens[input.role]}`;
        if (route.method !== 'get') {
          headers['content-type'] = 'application/json';
          body = JSON.stringify(input.body);
        }
      }
      const res = await send(`${app.baseUrl}${path}${qs ? `?${qs}` : ''}`, route.method.toUpperCase(), headers, body);
      const { text } = res;
      const label = `${route.method.toUpperCase()} ${route.path} [${input.kind}] → ${res.status} ${text.slice(0, 200)}`;
      expect(res.status, label).to.be.within(400, 499);
      expect(res.type, label).to.match(/^application\/problem\+json/);
      expect(text, label).not.to.match(/\bat \w+ \(|node_modules|SELECT |syntax error/i);
      seen.set(`${route.method} ${route.path}`, (seen.get(`${route.method} ${route.path}`) ?? 0) + 1);
    }), { numRuns: 3000, seed: Number(process.env.FUZZ_SEED ?? 20261122), endOnFailure: true });

    expect((await fetch(`${app.baseUrl}/healthz`)).status).to.equal(200);
    expect(seen.size, 'routes reached').to.equal(routes.length);
    expect(await databaseDigest(app), 'nothing written').to.equal(initial);
  });

  describe('NUL characters, lone surrogates, impossible dates and undecodable cookies, on every route', () => {
    /** One request as a route's own caller would send it (a token of a role it admits); answers status, type and body. */
    async function probe(route: RouteEntry, o: { params?: Record<string, string>; query?: string; body?: unknown; cookie?: string }) {
      let path = route.path;
      for (const m of route.path.matchAll(/\{(\w+)\}/g)) path = path.replace(m[0], o.params?.[m[1]!] ?? '1');
      const headers: Record<string, string> = {};
      const role = route.access?.roles?.[0] ?? 'admin';
      if (route.access) headers.authorization = `Bearer ${tokens[role]}`;
      if (o.cookie) headers.cookie = o.cookie;
      let body: string | undefined;
      if (o.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(o.body);
      }
      const res = await send(`${app.baseUrl}${path}${o.query ? `?${o.query}` : ''}`, route.method.toUpperCase(), headers, body);
      const parsed = /json/.test(res.type) ? JSON.parse(res.text) : undefined;
      return { ...res, body: parsed as { errors?: { path: string }[] } | undefined };
    }
    function expectNamed(res: Awaited<ReturnType<typeof probe>>, label: string, field: string) {
      expect(res.status, `${label} → ${res.status} ${res.text.slice(0, 200)}`).to.equal(400);
      expect(res.type, label).to.match(/^application\/problem\+json/);
      expect(res.body?.errors?.map((e) => e.path), `${label}: names the field`).to.include(field);
    }
    const key = (r: RouteEntry) => `${r.method.toUpperCase()} ${r.path}`;

    it('GET|POST|… every route › when a path parameter, a query value or a body string holds U+0000 › answers 400 naming that field', async () => {
      let probes = 0;
      for (const route of routes) {
        for (const name of [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)) {
          expectNamed(await probe(route, { params: { [name]: 'a%00b' } }), `${key(route)} path ${name}`, name);
          probes++;
        }
        const queryKeys = Object.keys((route.schemas?.query?.describe() as { keys?: object } | undefined)?.keys ?? {});
        for (const q of [...queryKeys, 'zz']) {
          expectNamed(await probe(route, { query: `${q}=a%00b` }), `${key(route)} query ${q}`, q);
          probes++;
        }
        if (route.method === 'get') continue;
        const example = (route.schemas?.body?.describe() as { examples?: unknown[] } | undefined)?.examples?.[0];
        for (const leaf of [...stringLeaves(example), ['zz']]) {
          const value = leaf.length === 1 && leaf[0] === 'zz' ? 'a\u0000b' : `${(leaf.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], example) as string)}\u0000`;
          expectNamed(await probe(route, { body: withValue(example, leaf, value) }), `${key(route)} body ${leaf.join('.')}`, leaf.join('.'));
          probes++;
        }
      }
      expect(probes).to.be.greaterThan(routes.length);
      expect(await databaseDigest(app), 'nothing written').to.equal(initial);
    });

    it('POST|PATCH|… every route with a body › when a body string or key holds a lone surrogate (\\udc00公司) › answers 400 naming that field, never 500', async () => {
      let probes = 0;
      for (const route of routes.filter((r) => r.method !== 'get')) {
        const example = (route.schemas?.body?.describe() as { examples?: unknown[] } | undefined)?.examples?.[0];
        for (const leaf of stringLeaves(example)) {
          expectNamed(await probe(route, { body: withValue(example, leaf, '\udc00公司') }), `${key(route)} body ${leaf.join('.')}`, leaf.join('.'));
          probes++;
        }
        if (example !== null && typeof example === 'object' && !Array.isArray(example)) {
          expectNamed(await probe(route, { body: { ...example, 'a\ud800': 1 } }), `${key(route)} body key`, 'a\uFFFD');
          probes++;
        }
      }
      expect(probes).to.be.greaterThan(20);
      expect(await databaseDigest(app), 'nothing written').to.equal(initial);
    });

    it('GET|POST|… every route with a date › when the date is impossible or outside 1900–2100 › answers 400 naming it', async () => {
      const dated = routes.filter((r) => dateFields(r.schemas?.query).length + dateFields(r.schemas?.body).length > 0);
      expect(dated.map(key), 'the routes that take dates').to.include.members(['GET /api/leads', 'GET /api/reports/summary', 'POST /api/leads/{id}/disburse', 'POST /api/match', 'POST /api/channels']);
      for (const route of dated) {
        const example = (route.schemas?.body?.describe() as { examples?: unknown[] } | undefined)?.examples?.[0];
        for (const date of impossibleDates) {
          for (const field of dateFields(route.schemas?.query)) expectNamed(await probe(route, { query: `${field}=${encodeURIComponent(date)}` }), `${key(route)} ?${field}=${date}`, field);
          for (const field of dateFields(route.schemas?.body)) expectNamed(await probe(route, { body: withValue(example, field.split('.'), date) }), `${key(route)} body ${field}=${date}`, field);
        }
      }
      expect(await databaseDigest(app), 'nothing written').to.equal(initial);
    });

    it('GET /api/products and POST /api/auth/login › when the session cookie does not decode (rongma_session=%zz) › treat it as absent, never 500', async () => {
      const catalogue = routes.find((r) => key(r) === 'GET /api/products')!;
      const login = routes.find((r) => key(r) === 'POST /api/auth/login')!;
      for (const cookie of ['rongma_session=%zz', 'rongma_session=%E0%A4%A', 'rongma_session="%', 'rongma_session']) {
        const list = await probe(catalogue, { cookie });
        expect(list.status, `${cookie} → ${list.text.slice(0, 200)}`).to.equal(200);
        const signIn = await probe(login, { cookie, body: { username: 'nobody-here', password: 'not-the-password' } });
        expect(signIn.status, `${cookie} → ${signIn.text.slice(0, 200)}`).to.equal(401);
        expect(signIn.type).to.match(/^application\/problem\+json/);
      }
    });
  });
});
