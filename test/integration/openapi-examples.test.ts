import { expect } from 'chai';
import { sql } from 'drizzle-orm';
import { seedDemo } from '../../server/seed';
import { queryRows } from '../../server/sql';
import type { Role } from '../../models/users';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { hardwareMaker, requestAtBank } from '../helpers/applications';
import { buildUser, tokenFor } from '../helpers/factories';
import { codeSentTo, verifiedToken } from '../helpers/phone';
import { sh } from '../helpers/time';

type Operation = { requestBody?: { content: Record<string, { example?: unknown }> }; 'x-roles'?: Role[] };
type Body = Record<string, unknown>;

/**
 * How one documented example is sent, in the order a person would: the path's ids, who sends it, and what
 * the live service may answer (a 2xx unless said; never a 400). The examples are written for the demo
 * registry (bank 3 is BOC, product 17 is one of its products); the only fields the test replaces are those
 * no document can know: the SMS code and phone token the caller holds, and ids of records this run made.
 */
interface Step {
  key: string;
  params?: () => Record<string, string | number>;
  role?: Role;
  accept?: number[];
  real?: (example: Body) => Promise<Body> | Body;
}

describe('OpenAPI document › every documented request example', function () {
  this.timeout(180_000);
  let app: TestApp;
  let operations: Map<string, Operation>;
  const tokens: Partial<Record<Role, string>> = {};
  const ids: Record<string, number> = {};
  const links: Record<string, string> = {};
  const phone = '13800138000';

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-11-20T10:00')), lookup: async () => [{ address: '93.184.215.14', family: 4 }] });
    await seedDemo(app.db, { accounts: false });
    const doc = (await app.call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    operations = new Map(Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op] as [string, Operation])));
    for (const role of ['admin', 'desk', 'bank_admin', 'bank_officer'] as Role[]) {
      const user = await buildUser(app.db, { role, bankId: role.startsWith('bank') ? 3 : undefined });
      if (role === 'bank_officer') ids.officer = user.id;
      tokens[role] = await tokenFor(app, user);
    }
    await buildUser(app.db, { role: 'bank_officer', bankId: 1, username: 'icbc.officer', password: 'correct horse battery' });
    const worked = await requestAtBank(app, 3, { company: hardwareMaker() });
    ids.lead = worked.leadId;
    links.tracking = worked.trackingToken;
    expect((await app.call('POST', `/api/leads/${ids.lead}/claim`, { token: tokens.bank_officer })).status).to.equal(200);
    const declined = await requestAtBank(app, 3, { company: hardwareMaker() });
    links.declined = declined.trackingToken;
    expect((await app.call('POST', `/api/leads/${declined.leadId}/claim`, { token: tokens.bank_admin })).status).to.equal(200);
    const decline = await app.call('POST', `/api/leads/${declined.leadId}/decision`, { token: tokens.bank_admin, body: { outcome: 'declined', reasonCode: 'credit_record' } });
    expect(decline.status, decline.text).to.equal(200);
    links.withdrawn = (await requestAtBank(app, 1, { company: hardwareMaker() })).trackingToken;
  });
  after(() => app?.close());

  /** expectedUpdatedAt is the draft's updatedAt as the reviewer read it (its optimistic lock). */
  const draftSeen = async (example: Body) => {
    const draft = await app.call('GET', `/api/products/${ids['POST /api/products']!}`, { token: tokens.desk });
    return { ...example, expectedUpdatedAt: draft.body.updatedAt };
  };

  const steps: Step[] = [
    { key: 'POST /api/auth/login' },
    { key: 'POST /api/users', role: 'admin' },
    { key: 'PATCH /api/users/{id}', role: 'admin', params: () => ({ id: ids['POST /api/users']! }) },
    { key: 'POST /api/banks', role: 'admin' },
    { key: 'PATCH /api/banks/{id}', role: 'admin', params: () => ({ id: ids['POST /api/banks']! }) },
    { key: 'POST /api/banks/{id}/branches', role: 'admin', params: () => ({ id: 3 }) },
    { key: 'PATCH /api/banks/{id}/branches/{branchId}', role: 'admin', params: () => ({ id: 3, branchId: ids['POST /api/banks/{id}/branches']! }) },
    { key: 'PUT /api/banks/{id}/routing', role: 'admin', params: () => ({ id: 2 }) },
    { key: 'PUT /api/banks/{id}/webhook', role: 'bank_admin', params: () => ({ id: 3 }) },
    { key: 'POST /api/products', role: 'bank_admin' },
    { key: 'PATCH /api/products/{id}', role: 'bank_admin', params: () => ({ id: ids['POST /api/products']! }) },
    { key: 'POST /api/products/{id}/return', role: 'desk', params: () => ({ id: ids['POST /api/products']! }), real: (e) => draftSeen(e) },
    { key: 'POST /api/products/{id}/publish', role: 'desk', params: () => ({ id: ids['POST /api/products']! }), real: (e) => draftSeen(e) },
    { key: 'POST /api/products/import', role: 'admin' },
    { key: 'POST /api/match' },
    { key: 'POST /api/channels', role: 'desk' },
    { key: 'PATCH /api/channels/{id}', role: 'desk', params: () => ({ id: ids['POST /api/channels']! }) },
    { key: 'POST /api/phone-codes' },
    { key: 'POST /api/phone-codes/verify', real: async (e) => ({ ...e, code: await codeSentTo(app, phone) }) },
    { key: 'POST /api/watches', real: async (e) => ({ ...e, phoneToken: await verifiedToken(app, '13800138001', 'watch') }) },
    { key: 'POST /api/applications', role: undefined },
    { key: 'POST /api/applications/lookup', real: async (e) => ({ ...e, phoneToken: await verifiedToken(app, e.phone as string, 'lookup') }) },
    { key: 'POST /api/applications/assisted', role: 'desk' },
    { key: 'POST /api/consent/{token}/confirm', params: () => ({ token: links.consent! }), real: async (e) => ({ ...e, phoneToken: await verifiedToken(app, phone, 'consent') }) },
    { key: 'POST /api/leads/{id}/assign', role: 'bank_admin', params: () => ({ id: ids.lead! }), real: (e) => ({ ...e, officerId: ids.officer }) },
    { key: 'POST /api/leads/{id}/contact', role: 'bank_officer', params: () => ({ id: ids.lead! }) },
    // Before the decision: its example records the credit-report check too (firstLoanConfirmed).
    { key: 'POST /api/leads/{id}/first-loan', role: 'bank_officer', params: () => ({ id: ids.lead! }) },
    { key: 'POST /api/leads/{id}/decision', role: 'bank_officer', params: () => ({ id: ids.lead! }) },
    { key: 'POST /api/leads/{id}/amend', role: 'bank_officer', params: () => ({ id: ids.lead! }) },
    { key: 'POST /api/leads/{id}/disburse', role: 'bank_officer', params: () => ({ id: ids.lead! }) },
    { key: 'POST /api/applications/track/{token}/confirm', params: () => ({ token: links.tracking! }), real: (e) => ({ ...e, leadId: ids.lead }) },
    { key: 'POST /api/applications/track/{token}/second-look', params: () => ({ token: links.declined! }) },
    // A hand-over needs a lead the SLA escalated to the desk, which this run does not wait for: the example's
    // lead is unknown here (404), and so the offer it would have made (404); neither may be refused as invalid.
    { key: 'POST /api/reassignments', role: 'desk', accept: [404] },
    { key: 'POST /api/applications/track/{token}/offers/{offerId}', params: () => ({ token: links.tracking!, offerId: 1 }), accept: [404] },
    { key: 'POST /api/applications/track/{token}/withdraw', params: () => ({ token: links.withdrawn! }) },
    { key: 'PUT /api/sla/policy', role: 'desk' },
    { key: 'POST /api/consultations', role: 'desk' },
    { key: 'POST /api/coaching', role: 'desk' },
    { key: 'PATCH /api/coaching/{id}', role: 'desk', params: () => ({ id: ids['POST /api/coaching']! }) },
  ];

  it('OpenAPI document › the examples › each has a step here (a new example must be sent too)', () => {
    const documented = [...operations].filter(([, op]) => op.requestBody?.content['application/json']?.example !== undefined).map(([key]) => key);
    expect(documented.length).to.be.greaterThan(30);
    expect(steps.map((s) => s.key)).to.have.members(documented);
  });

  it('POST/PUT/PATCH of each documented example › sent to the live app as documented › is accepted (2xx), never a 400', async () => {
    const answers: string[] = [];
    for (const step of steps) {
      app.clock.advance(61_000); // one SMS code a minute per phone
      const [method, template] = step.key.split(' ') as [string, string];
      const op = operations.get(step.key)!;
      if (step.key === 'POST /api/applications') {
        // The example names the desk's channel ZQDESK01: the one the desk made above, under that code.
        await queryRows(app.db, sql`update channels set code = 'ZQDESK01' where id = ${ids['POST /api/channels']!} returning id`);
      }
      const example = op.requestBody!.content['application/json']!.example as Body;
      const body = step.real ? await step.real(structuredClone(example)) : example;
      const params = step.params?.() ?? {};
      const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(String(params[name])));
      const res = await app.call(method, path, { body, token: step.role ? tokens[step.role] : undefined });
      if (res.body && typeof res.body === 'object' && typeof res.body.id === 'number') ids[step.key] = res.body.id;
      if (step.key === 'POST /api/applications/assisted') links.consent = (await queryRows<{ token: string }>(app.db, sql`select token from assisted_requests where id = ${res.body.id}`))[0]?.token ?? '';
      const ok = res.status >= 200 && res.status < 300 || (step.accept ?? []).includes(res.status);
      if (!ok) answers.push(`${step.key} → ${res.status} ${res.text.slice(0, 300)}`);
    }
    expect(answers, answers.join('\n')).to.deep.equal([]);
  });
});
