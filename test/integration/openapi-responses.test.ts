import { expect } from 'chai';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { seedDemo } from '../../server/seed';
import type { Role } from '../../models/users';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { hardwareMaker, requestAtBank } from '../helpers/applications';
import { buildUser, tokenFor } from '../helpers/factories';
import { codeSentTo } from '../helpers/phone';
import { sh } from '../helpers/time';

type Operation = {
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
};

/**
 * Real answers of the live service, each checked against the schema the document gives for its route and
 * status. Bank integrators generate clients from these schemas: a presenter that adds, drops or retypes a
 * field without its schema (routes/<resource>/responses.ts) fails here.
 */
describe('OpenAPI document › response schemas › describe the real answers', function () {
  this.timeout(180_000);
  let app: TestApp;
  let operations: Map<string, Operation>;
  const tokens: Partial<Record<Role, string>> = {};
  const checked = new Set<string>();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-11-20T10:00')) });
    await seedDemo(app.db, { accounts: false });
    const doc = (await app.call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    operations = new Map(Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op] as [string, Operation])));
    for (const role of ['admin', 'desk', 'bank_admin', 'bank_officer'] as Role[]) {
      tokens[role] = await tokenFor(app, await buildUser(app.db, { role, bankId: role.startsWith('bank') ? 3 : undefined }));
    }
    await buildUser(app.db, { role: 'bank_officer', bankId: 1, username: 'icbc.officer', password: 'correct horse battery' });
  });
  after(() => app?.close());

  const example = (key: string) => structuredClone(operations.get(key)!.requestBody!.content['application/json']!.example) as Record<string, unknown>;

  /** Calls a documented route and checks its answer against the document; answers the body. */
  async function call(key: string, o: { params?: Record<string, string | number>; query?: string; role?: Role; body?: unknown } = {}) {
    const [method, template] = key.split(' ') as [string, string];
    const path = template.replace(/\{(\w+)\}/g, (_m, n: string) => encodeURIComponent(String(o.params?.[n]))) + (o.query ? `?${o.query}` : '');
    const res = await app.call(method, path, { token: o.role ? tokens[o.role] : undefined, body: o.body });
    expect(res.status, `${key}: ${res.text.slice(0, 300)}`).to.be.within(200, 299);
    const schema = operations.get(key)?.responses[res.status]?.content?.['application/json']?.schema;
    expect(schema, `${key} documents ${res.status} as JSON`).to.not.equal(undefined);
    const check = ajv.compile(schema!);
    expect(check(res.body), `${key} ${res.status}: ${ajv.errorsText(check.errors)} in ${JSON.stringify(res.body).slice(0, 500)}`).to.equal(true);
    checked.add(key);
    return res.body;
  }

  it('staff, banks and products › their answers › match their schemas', async () => {
    await call('POST /api/auth/login', { body: example('POST /api/auth/login') });
    await call('GET /api/auth/me', { role: 'bank_admin' });
    await call('GET /api/users', { role: 'admin' });
    const user = await call('POST /api/users', { role: 'admin', body: example('POST /api/users') });
    await call('GET /api/users/{id}', { role: 'admin', params: { id: user.id } });
    await call('PATCH /api/users/{id}', { role: 'admin', params: { id: user.id }, body: example('PATCH /api/users/{id}') });

    await call('GET /api/banks', { role: 'desk' });
    const bank = await call('POST /api/banks', { role: 'admin', body: example('POST /api/banks') });
    await call('GET /api/banks/{id}', { role: 'desk', params: { id: 3 } });
    await call('PATCH /api/banks/{id}', { role: 'admin', params: { id: bank.id }, body: example('PATCH /api/banks/{id}') });
    const branch = await call('POST /api/banks/{id}/branches', { role: 'admin', params: { id: 3 }, body: example('POST /api/banks/{id}/branches') });
    await call('GET /api/banks/{id}/branches', { role: 'desk', params: { id: 3 } });
    await call('PATCH /api/banks/{id}/branches/{branchId}', { role: 'admin', params: { id: 3, branchId: branch.id }, body: example('PATCH /api/banks/{id}/branches/{branchId}') });

    await call('GET /api/products');
    await call('GET /api/products', { role: 'bank_admin' });
    await call('GET /api/products/{id}', { params: { id: 17 } });
    const draft = await call('POST /api/products', { role: 'bank_admin', body: example('POST /api/products') });
    const changed = await call('PATCH /api/products/{id}', { role: 'bank_admin', params: { id: draft.id }, body: example('PATCH /api/products/{id}') });
    const returned = await call('POST /api/products/{id}/return', { role: 'desk', params: { id: draft.id }, body: { ...example('POST /api/products/{id}/return'), expectedUpdatedAt: changed.updatedAt } });
    await call('GET /api/products/{id}', { role: 'bank_admin', params: { id: draft.id } });
    await call('POST /api/products/{id}/publish', { role: 'desk', params: { id: draft.id }, body: { expectedUpdatedAt: returned.updatedAt } });
    await call('GET /api/products/{id}/reviews', { role: 'bank_admin', params: { id: draft.id } });
    await call('POST /api/products/{id}/retire', { role: 'desk', params: { id: draft.id } });
  });

  it('a lead worked from request to disbursement › every answer › matches its schema', async () => {
    const { leadId, trackingToken } = await requestAtBank(app, 3, { company: hardwareMaker() });
    const [officer] = (await call('GET /api/users', { role: 'bank_admin', query: 'role=bank_officer' })).items as { id: number }[];
    await call('GET /api/leads', { role: 'bank_admin' });
    await call('GET /api/leads', { role: 'desk' });
    await call('GET /api/leads', { role: 'bank_admin', query: 'since=0' });
    await call('GET /api/leads/{id}', { role: 'bank_admin', params: { id: leadId } });
    await call('POST /api/leads/{id}/claim', { role: 'bank_admin', params: { id: leadId } });
    await call('POST /api/leads/{id}/assign', { role: 'bank_admin', params: { id: leadId }, body: { officerId: officer!.id } });
    await call('POST /api/leads/{id}/contact', { role: 'bank_officer', params: { id: leadId }, body: example('POST /api/leads/{id}/contact') });
    await call('POST /api/leads/{id}/first-loan', { role: 'bank_officer', params: { id: leadId }, body: example('POST /api/leads/{id}/first-loan') });
    await call('POST /api/leads/{id}/decision', { role: 'bank_officer', params: { id: leadId }, body: { ...example('POST /api/leads/{id}/decision'), firstLoanConfirmed: undefined } });
    await call('POST /api/leads/{id}/amend', { role: 'bank_officer', params: { id: leadId }, body: example('POST /api/leads/{id}/amend') });
    await call('POST /api/leads/{id}/disburse', { role: 'bank_officer', params: { id: leadId }, body: example('POST /api/leads/{id}/disburse') });
    await call('GET /api/leads/{id}/events', { role: 'bank_admin', params: { id: leadId } });
    const { items } = await call('GET /api/notifications', { role: 'bank_admin' });
    expect(items.length, 'the new lead was notified').to.be.greaterThan(0);
    await call('POST /api/notifications/{id}/read', { role: 'bank_admin', params: { id: items[0].id } });
    await call('POST /api/notifications/read-all', { role: 'bank_admin' });
    await call('POST /api/applications/track/{token}/confirm', { params: { token: trackingToken }, body: { ...example('POST /api/applications/track/{token}/confirm'), leadId } });
    await call('GET /api/leads/{id}', { role: 'desk', params: { id: leadId } });
  });

  it('channels, requests and coaching › their answers › match their schemas', async () => {
    const channel = await call('POST /api/channels', { role: 'desk', body: example('POST /api/channels') });
    await call('GET /api/channels', { role: 'desk' });
    await call('GET /api/channels/{id}', { role: 'desk', params: { id: channel.id } });
    await call('GET /api/channels/by-code/{code}', { params: { code: channel.code } });
    await call('PATCH /api/channels/{id}', { role: 'desk', params: { id: channel.id }, body: example('PATCH /api/channels/{id}') });

    await call('GET /api/applications/consent');
    const submitted = await call('POST /api/applications', { body: example('POST /api/applications'), query: '' });
    await call('GET /api/applications/track/{token}', { params: { token: submitted.trackingToken } });
    await call('POST /api/applications/track/{token}/withdraw', { params: { token: submitted.trackingToken }, body: example('POST /api/applications/track/{token}/withdraw') });
    const phone = (example('POST /api/applications') as { contact: { phone: string } }).contact.phone;
    await call('POST /api/phone-codes', { body: { phone, purpose: 'lookup' } });
    const verified = await call('POST /api/phone-codes/verify', { body: { phone, purpose: 'lookup', code: await codeSentTo(app, phone) } });
    await call('POST /api/applications/lookup', { body: { phone, phoneToken: verified.phoneToken } });

    await call('POST /api/match', { body: example('POST /api/match') });
    await call('POST /api/match', { body: { ...example('POST /api/match'), lang: 'en' } });
    await call('POST /api/consultations', { role: 'desk', body: example('POST /api/consultations') });
    await call('GET /api/consultations', { role: 'desk' });
    await call('GET /api/consultations/stats', { role: 'desk' });

    await call('GET /api/city', {});
    await call('GET /api/sla/policy', { role: 'desk' });
    await call('PUT /api/sla/policy', { role: 'desk', body: example('PUT /api/sla/policy') });
    await call('GET /api/watches/consent');
    await call('GET /api/watches/stats', { role: 'desk' });

    const opened = await call('POST /api/coaching', { role: 'desk', body: example('POST /api/coaching') });
    await call('GET /api/coaching', { role: 'desk' });
    await call('GET /api/coaching/{id}', { role: 'desk', params: { id: opened.id } });
    await call('PATCH /api/coaching/{id}', { role: 'desk', params: { id: opened.id }, body: example('PATCH /api/coaching/{id}') });
  });

  it('every route that documents a JSON answer schema › was checked above against a real answer', () => {
    const documented = [...operations].filter(([, op]) => Object.values(op.responses).some((r) => {
      const schema = r.content?.['application/json']?.schema;
      return schema !== undefined && Object.keys(schema).some((k) => k !== 'type');
    })).map(([key]) => key);
    expect(documented.length).to.be.greaterThan(25);
    expect(documented.filter((key) => !checked.has(key)), 'documented but never checked').to.deep.equal([]);
  });
});
