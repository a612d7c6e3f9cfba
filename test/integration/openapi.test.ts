import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { sql } from 'drizzle-orm';
import { Router } from 'express';
import { appContext } from '../../server/app';
import { seedDemo } from '../../server/seed';
import { noInput } from '../../server/middleware/validate';
import { queryRows } from '../../server/sql';
import { deliveryBody } from '../../server/webhooks';
import { apiMounts } from '../../routes';
import { docsRoutes } from '../../routes/docs';
import { buildOpenApi } from '../../routes/docs/build';
import type { OutboxRow } from '../../models/leads';
import { startTestApp, type TestApp } from '../helpers/app';
import { hardwareMaker, requestAtBank } from '../helpers/applications';
import { buildUser, tokenFor } from '../helpers/factories';

interface Layer {
  rawPath?: string | string[];
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every METHOD /path the live Express app answers, read from its router (not from the mount table the document uses). */
function liveRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const full = `${prefix}${layer.route.path === '/' ? '' : layer.route.path}` || '/';
      return Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${full.replace(/:(\w+)/g, '{$1}')}`);
    }
    if (!layer.handle.stack) return [];
    const mount = [layer.rawPath ?? ''].flat()[0] ?? '';
    return liveRoutes(layer.handle.stack, prefix + (mount === '/' ? '' : mount));
  });
}

describe('OpenAPI document (GET /api/openapi.json, /api/docs)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let doc: { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { example?: unknown }> }; security?: unknown[]; 'x-roles'?: string[] }>>; components: { schemas: Record<string, object> } };

  before(async () => {
    app = await startTestApp();
    await seedDemo(app.db, { accounts: false });
    const res = await app.call('GET', '/api/openapi.json');
    expect(res.status).to.equal(200);
    doc = res.body;
  });
  after(() => app.close());

  it('is a valid OpenAPI 3.1 document by an independent validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 1)?.slice(0, 2000)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(validator.version).to.equal('3.1');
  });

  it('lists every route the running app mounts under /api, and nothing it does not', () => {
    const live = liveRoutes((app.express as unknown as { router: { stack: Layer[] } }).router.stack).filter((r) => / \/api\//.test(r));
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(live.length).to.be.greaterThan(70);
    expect(live.filter((r) => !documented.includes(r)), 'mounted but undocumented').to.deep.equal([]);
    expect(documented.filter((r) => !live.includes(r)), 'documented but not mounted').to.deep.equal([]);
  });

  it('has no gaps: every route validates with a joi schema, has a note, and every body schema carries an example that passes it', () => {
    const ctx = appContext({ db: app.db, config: app.config, clock: app.clock });
    const mounts = apiMounts(ctx);
    const { gaps } = buildOpenApi([...mounts, ['', docsRoutes(mounts)] as [string, Router]]);
    expect(gaps).to.deep.equal([]);
    const bodies = Object.values(doc.paths).flatMap((ops) => Object.values(ops)).filter((op) => op.requestBody);
    expect(bodies.length).to.be.greaterThan(25);
    for (const op of bodies) expect(op.requestBody!.content['application/json']!.example).to.not.equal(undefined);
  });

  it('a JSON route without a response schema › when mounted › is reported as a gap (a route cannot ship undocumented)', () => {
    const probe = Router();
    probe.get('/answer', noInput, (_req, res) => { res.json({ ok: true }); });
    const { gaps } = buildOpenApi([['/leads', probe]]);
    expect(gaps).to.include('GET /api/leads/answer: a JSON answer without a response schema (add it to routes/<resource>/responses.ts and to its note)');
  });

  it('a route answering JSON or a file by ?format= › documented › lists each media type, the JSON one with its schema', () => {
    const content = ((doc.paths['/api/products/export']!.get! as { responses: unknown }).responses as Record<string, { content: Record<string, { schema: { type?: string; properties?: object } }> }>)['200']!.content;
    expect(Object.keys(content)).to.have.members(['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(content['application/json']!.schema.properties).to.have.keys('exportedAt', 'total', 'items');
    expect(content['text/csv']!.schema.type).to.equal('string');
  });

  it('describes who may call: staff routes carry both sign-in schemes and their roles, public ones none', () => {
    const claim = doc.paths['/api/leads/{id}/claim']!.post!;
    expect(claim.security).to.deep.equal([{ bearerAuth: [] }, { cookieAuth: [] }]);
    expect(claim['x-roles']).to.have.members(['bank_admin', 'bank_officer']);
    expect(doc.paths['/api/match']!.post!.security).to.deep.equal([]);
    expect(doc.paths['/api/products']!.get!.security).to.deep.include({});
  });

  it('documents examples the live API accepts', async () => {
    const example = doc.paths['/api/match']!.post!.requestBody!.content['application/json']!.example as object;
    const res = await app.call('POST', '/api/match', { body: example });
    expect(res.status).to.equal(200);
    expect(res.body.results.length).to.be.greaterThan(0);
  });

  it('describes the real webhook delivery and the real problem+json answers', async () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const [bank] = await queryRows<{ id: number }>(app.db, sql`select id from banks order by id limit 1`);
    await requestAtBank(app, bank!.id, { company: hardwareMaker() });
    const [row] = await queryRows<Record<string, unknown>>(app.db, sql`select * from outbox order by id desc limit 1`);
    const outboxRow = {
      deliveryId: row!.delivery_id, seq: Number(row!.seq), createdAt: new Date(row!.created_at as string), payload: row!.payload,
    } as unknown as OutboxRow;
    const delivery = JSON.parse(deliveryBody(outboxRow));
    const checkDelivery = ajv.compile(doc.components.schemas.LeadDelivery!);
    expect(checkDelivery(delivery), JSON.stringify(checkDelivery.errors)).to.equal(true);

    const checkProblem = ajv.compile(doc.components.schemas.Problem!);
    const officer = await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: bank!.id }));
    for (const res of [
      await app.call('POST', '/api/match', { body: { company: { uscc: 'nope' } } }),
      await app.call('GET', '/api/reports/summary', { token: officer }),
      await app.call('GET', '/api/leads/999999', { token: officer }),
    ]) {
      expect(res.status).to.be.within(400, 499);
      expect(checkProblem(res.body), JSON.stringify(checkProblem.errors)).to.equal(true);
    }
  });

  it('serves the reference page at /api/docs from this server', async () => {
    const res = await fetch(`${app.baseUrl}/api/docs`);
    expect(res.status).to.equal(200);
    const html = await res.text();
    const bundle = /\/assets\/api-docs-\w+\.js/.exec(html)?.[0];
    expect(bundle, 'the page names its content-hashed bundle').to.be.a('string');
    expect(html).not.to.match(/https?:\/\//);
    expect((await fetch(`${app.baseUrl}${bundle}`)).status).to.equal(200);
  });
});
