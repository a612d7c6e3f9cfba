import { expect } from 'chai';
import Ajv2020 from 'ajv/dist/2020';
import { eq } from 'drizzle-orm';
import { leads } from '../../models/leads';
import addFormats from 'ajv-formats';
import { seedDemo } from '../../server/seed';
import type { Role } from '../../models/users';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { chosenBody, hardwareMaker, requestAtBank } from '../helpers/applications';
import { buildUser, tokenFor } from '../helpers/factories';
import { codeSentTo, verifiedToken } from '../helpers/phone';
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
  const staff: Partial<Record<Role, Awaited<ReturnType<typeof buildUser>>>> = {};
  /** Sessions taken now (again after the clock has moved days on). */
  const signIn = async () => {
    for (const [role, user] of Object.entries(staff)) tokens[role as Role] = await tokenFor(app, user);
  };
  const checked = new Set<string>();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-11-20T10:00')) });
    await seedDemo(app.db, { accounts: false });
    const doc = (await app.call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    operations = new Map(Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op] as [string, Operation])));
    for (const role of ['admin', 'desk', 'bank_admin', 'bank_officer'] as Role[]) staff[role] = await buildUser(app.db, { role, bankId: role.startsWith('bank') ? 3 : undefined });
    await signIn();
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

  it('bank routing, webhooks, product files, admin and reports › their answers › match their schemas', async () => {
    await call('GET /api/auth/demo-accounts');
    await call('GET /api/openapi.json');
    const routing = await call('GET /api/banks/{id}/routing', { role: 'desk', params: { id: 3 } });
    await call('PUT /api/banks/{id}/routing', { role: 'bank_admin', params: { id: 3 }, body: { rules: [{ district: '441204', branchId: routing.dispatch[0].branchId }], dispatch: routing.dispatch } });
    await call('PUT /api/banks/{id}/webhook', { role: 'bank_admin', params: { id: 3 }, body: { url: null } });
    await call('GET /api/banks/{id}/webhook', { role: 'bank_admin', params: { id: 3 } });
    await requestAtBank(app, 3);
    const { items: deliveries } = await call('GET /api/banks/{id}/webhook/deliveries', { role: 'bank_admin', params: { id: 3 } });
    expect(deliveries.length, 'the new lead is in the delivery log').to.be.greaterThan(0);
    await call('POST /api/banks/{id}/webhook/deliveries/{deliveryId}/redeliver', { role: 'bank_admin', params: { id: 3, deliveryId: deliveries[0].deliveryId } });

    const exported = await call('GET /api/products/export', { role: 'admin', query: 'format=json' });
    await call('POST /api/products/import', { role: 'admin', body: { items: exported.items.slice(0, 2) } });

    await call('GET /api/admin/audit', { role: 'admin' });
    await call('GET /api/admin/sms', { role: 'admin' });
    await call('GET /api/admin/jobs', { role: 'admin' });
    for (const report of ['summary', 'banks', 'channels', 'trend', 'amendments']) await call(`GET /api/reports/${report}`, { role: 'desk' });
    const coached = await call('POST /api/coaching', { role: 'desk', body: example('POST /api/coaching') });
    await call('PATCH /api/coaching/{id}', { role: 'desk', params: { id: coached.id }, body: { status: 'applied' } });
    await call('PATCH /api/coaching/{id}', { role: 'desk', params: { id: coached.id }, body: { status: 'financed' } });
    const { items: financed } = await call('GET /api/coaching/report', { role: 'desk' });
    expect(financed.map((c: { id: number }) => c.id), 'the financed case is in the report').to.include(coached.id);
  });

  it('watches, second looks, assisted requests and companies › their answers › match their schemas', async () => {
    const consent = (await app.call('GET', '/api/watches/consent')).body as { version: string };
    const watch = await call('POST /api/watches', { body: { ...example('POST /api/watches'), phoneToken: await verifiedToken(app, '13800138101', 'watch'), consent: { version: consent.version } } });
    const watchToken = String(watch.manageUrl).split('/watch/')[1];
    await call('GET /api/watches/{token}', { params: { token: watchToken! } });
    await call('POST /api/watches/{token}/cancel', { params: { token: watchToken! } });

    const company = hardwareMaker();
    const { leadId, trackingToken } = await requestAtBank(app, 3, { company });
    await call('GET /api/companies/{uscc}', { role: 'desk', params: { uscc: company.uscc } });
    await app.db.update(leads).set({ status: 'declined', declineReason: 'collateral', decidedAt: app.clock.now() }).where(eq(leads.id, leadId));
    const { items: options } = await call('GET /api/applications/track/{token}/second-look', { params: { token: trackingToken } });
    expect(options.length, 'another bank may look').to.be.greaterThan(0);
    const [{ product }] = options;
    await call('POST /api/applications/track/{token}/second-look', { params: { token: trackingToken }, body: { productId: product.id, consent: { version: (await app.call('GET', '/api/applications/consent')).body.version, banks: [product.bankId] } } });
    const { declinesByReason } = await call('GET /api/reports/summary', { role: 'desk' });
    expect(declinesByReason.length, 'the decline is counted').to.be.greaterThan(0);

    const { consent: _consent, ...assisted } = await chosenBody(app, { phone: '13800138102', count: 2 });
    const filed = await call('POST /api/applications/assisted', { role: 'desk', body: assisted });
    await call('GET /api/applications/assisted', { role: 'desk' });
    const consentToken = String(filed.consentUrl).split('/consent/')[1]!;
    await call('GET /api/consent/{token}', { params: { token: consentToken } });
    await call('POST /api/consent/{token}/confirm', { params: { token: consentToken }, body: { phoneToken: await verifiedToken(app, '13800138102', 'consent') } });
    await call('GET /api/applications/assisted/report', { role: 'desk' });
  });

  it('a lead handed back to the desk and offered to another bank › every answer › matches its schema', async () => {
    app.clock.set(sh('2026-11-23T10:00'));
    const company = hardwareMaker();
    const { leadId, trackingToken } = await requestAtBank(app, 3, { company });
    // Left alone until the SLA in force (changed above by PUT /api/sla/policy) hands it back to the desk.
    const [{ escalateAt }] = await app.db.select({ escalateAt: leads.escalateAt }).from(leads).where(eq(leads.id, leadId)) as [{ escalateAt: Date }];
    app.clock.set(new Date(escalateAt.getTime() + 60_000));
    await signIn();
    await call('POST /api/admin/jobs/{name}/run', { role: 'admin', params: { name: 'sla-check' } });
    const queue = await call('GET /api/reassignments/queue', { role: 'desk', query: 'pageSize=200' });
    const item = queue.items.find((i: { id: number }) => i.id === leadId);
    expect(item?.candidates.length, 'the escalated lead is queued with other banks').to.be.greaterThan(0);
    const target = item.candidates.find((c: { consentOnFile: boolean }) => !c.consentOnFile).product as { id: number; bankId: number };
    const first = await call('POST /api/reassignments', { role: 'desk', body: { leadId, productId: target.id } });
    expect(first.status, 'offered to the applicant first').to.equal('awaiting_consent');
    await call('POST /api/reassignments/{id}/cancel', { role: 'desk', params: { id: first.id } });
    const offer = await call('POST /api/reassignments', { role: 'desk', body: { leadId, productId: target.id } });
    const { offers } = await call('GET /api/applications/track/{token}', { params: { token: trackingToken } });
    expect(offers.map((o: { id: number }) => o.id), 'the applicant sees the offer').to.deep.equal([offer.id]);
    const version = (await app.call('GET', '/api/applications/consent')).body.version as string;
    await call('POST /api/applications/track/{token}/offers/{offerId}', { params: { token: trackingToken, offerId: offer.id }, body: { accept: true, consent: { version, banks: [target.bankId] } } });
    await call('GET /api/reassignments', { role: 'desk' });
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
