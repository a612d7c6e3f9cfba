import { expect } from 'chai';
import { count, eq } from 'drizzle-orm';
import { applications, companies, consents } from '../../models/applications';
import { leadEvents, leads } from '../../models/leads';
import { startTestApp, type TestApp } from '../helpers/app';
import { chosenBody, hardwareMaker, need } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBank, buildLendingBank, buildProduct, buildUser, tokenFor } from '../helpers/factories';

async function countOf(app: TestApp, table: typeof applications | typeof leads | typeof consents | typeof leadEvents) {
  const [row] = await app.db.select({ n: count() }).from(table);
  return Number(row!.n);
}

describe('POST /api/applications', function () {
  this.timeout(60_000);
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ config: { publicBaseUrl: 'https://rongma.example.cn' } });
    for (let i = 0; i < 3; i++) await buildLendingBank(app.db); // a request goes to at most three banks here
    await buildProduct(app.db, (await buildBank(app.db)).id, { criteria: { taxRatings: ['A'] } }); // one the B-rated company is refused
  });
  after(() => app.close());

  const submit = (body: object, headers: Record<string, string> = {}) => app.call('POST', '/api/applications', { body, headers });

  describe('to chosen banks', () => {
    it('records the company, the request, a consent per bank and a lead per product with its snapshot, in one go', async () => {
      const body = await chosenBody(app);
      const res = await submit(body);
      expect(res.status, res.text).to.equal(201);
      expect(res.body.trackingToken).to.match(/^[\w-]{32}$/);
      expect(res.body.trackingUrl).to.equal(`https://rongma.example.cn/track/${res.body.trackingToken}`);
      expect(res.body.reference).to.match(/^RM\d{6}\d{5}$/);
      expect(res.body.leads).to.have.length(2);
      for (const l of res.body.leads) expect(l).to.include({ status: 'new' }).and.to.have.keys('id', 'bankId', 'productId', 'status');

      const [a] = await app.db.select().from(applications).where(eq(applications.id, res.body.id));
      expect(a).to.include({ mode: 'chosen', isFirstLoan: true, contactPhone: '13812345678', needAmount: 1_000_000, flaggedBroker: false });
      const c = await app.db.select().from(consents).where(eq(consents.applicationId, a!.id));
      expect(c.map((x) => x.bankId).sort()).to.deep.equal([...body.consent.banks].sort());
      const ls = await app.db.select().from(leads).where(eq(leads.applicationId, a!.id));
      expect((ls[0]!.productSnapshot as { amount: unknown }).amount).to.be.an('object');
      const events = await app.db.select().from(leadEvents).where(eq(leadEvents.leadId, ls[0]!.id));
      expect(events.map((e) => e.action)).to.deep.equal(['created']);
    });

    it('upserts the company by USCC with what was declared last', async () => {
      const company = hardwareMaker();
      await submit(await chosenBody(app, { company, count: 1 }));
      const again = await chosenBody(app, { company: { ...company, employees: 60 }, count: 3 });
      again.productIds = again.productIds.slice(1);
      again.consent.banks = again.consent.banks.slice(1);
      expect((await submit(again)).status).to.equal(201);
      const rows = await app.db.select().from(companies).where(eq(companies.uscc, company.uscc as string));
      expect(rows).to.have.length(1);
      expect(rows[0]!.employees).to.equal(60);
    });

    it('names every bad field, and writes nothing', async () => {
      const before = await countOf(app, applications);
      const body = await chosenBody(app);
      const res = await submit({ ...body, company: { ...body.company, uscc: '91440300708461136A', name: '' }, contact: { name: '', phone: '12345678901' }, productIds: [1, 2, 3, 4] });
      expectFieldErrors(res, ['company.uscc', 'company.name', 'contact.name', 'contact.phone', 'productIds']);
      expectFieldErrors(await submit({ ...body, consent: undefined, need: { amount: 1, termMonths: 12 } }), ['consent', 'need.amount']);
      expectFieldErrors(await submit({ ...body, mode: 'open' }), ['productIds']);
      expect(await countOf(app, applications)).to.equal(before);
    });

    it('refuses a product the company is not eligible for, naming it and why (422)', async () => {
      const body = await chosenBody(app, { count: 1 });
      const match = await app.call('POST', '/api/match', { body: { company: body.company, need, limit: 1000 } });
      const ineligible = match.body.results.find((r: { eligible: boolean }) => !r.eligible).product;
      const res = await submit({ ...body, productIds: [ineligible.id], consent: { ...body.consent, banks: [ineligible.bankId] } });
      expectProblem(res, 422, 'product_not_eligible');
      expect(res.body.errors[0].path).to.equal('productIds.0');
      expect(res.body.reasons.length).to.be.greaterThan(0);
    });

    it('needs the current consent version and a consent for every recipient bank (422), writing nothing', async () => {
      const before = await countOf(app, applications);
      const body = await chosenBody(app);
      expectProblem(await submit({ ...body, consent: { ...body.consent, version: '2020-01-v0' } }), 422, 'consent_outdated');
      const partial = await submit({ ...body, consent: { ...body.consent, banks: body.consent.banks.slice(0, 1) } });
      expectProblem(partial, 422, 'consent_missing');
      expect(partial.body.banks).to.deep.equal(body.consent.banks.slice(1));
      expect(await countOf(app, applications)).to.equal(before);
    });

    it('records the QR channel the request came through', async () => {
      const desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
      const channel = (await app.call('POST', '/api/channels', { token: desk, body: { name: '高要区政务服务中心', kind: 'desk' } })).body;
      const res = await submit(await chosenBody(app, { channelCode: channel.code.toLowerCase() }));
      const [a] = await app.db.select().from(applications).where(eq(applications.id, res.body.id));
      expect(a!.channelId).to.equal(channel.id);
      const listed = await app.call('GET', `/api/channels/${channel.id}`, { token: desk });
      expect(listed.status).to.equal(200);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer for the same key and body, and refuses the key with another body (422)', async () => {
      const body = await chosenBody(app);
      const first = await submit(body, { 'idempotency-key': 'key-replay-0001' });
      const again = await submit(body, { 'idempotency-key': 'key-replay-0001' });
      expect(again.status).to.equal(201);
      expect(again.body).to.deep.equal(first.body);
      expect(again.headers.get('idempotent-replayed')).to.equal('true');
      const other = await submit({ ...body, need: { ...body.need, amount: 900_000 } }, { 'idempotency-key': 'key-replay-0001' });
      expectProblem(other, 422, 'idempotency_key_reused');
      expectFieldErrors(await submit(body, { 'idempotency-key': 'bad key!' }), ['Idempotency-Key']);
    });

    it('creates exactly one application from 50 simultaneous submissions with one key', async () => {
      const body = await chosenBody(app);
      const before = await countOf(app, applications);
      const answers = await Promise.all(Array.from({ length: 50 }, () => submit(body, { 'idempotency-key': 'key-concurrent-0001' })));
      expect(answers.map((a) => a.status)).to.deep.equal(Array(50).fill(201));
      expect(new Set(answers.map((a) => a.body.id)).size).to.equal(1);
      expect(await countOf(app, applications)).to.equal(before + 1);
    });
  });

  describe('a repeated request', () => {
    it('POST /api/applications › when the same phone repeats an open request for the company and product › returns 409 duplicate_application carrying nothing of the first request', async () => {
      const body = await chosenBody(app, { count: 1 });
      const first = await submit(body);
      const same = await submit(body);
      expectProblem(same, 409, 'duplicate_application');
      expect(Object.keys(same.body).sort()).to.deep.equal(['code', 'detail', 'status', 'title', 'type']);
      const everything = same.text + JSON.stringify([...same.headers.entries()]);
      expect(everything).not.to.contain(first.body.trackingToken);
      expect(everything).not.to.contain(first.body.reference);
      expect(everything).not.to.match(/\/track\/|trackingUrl|\b20\d\d-\d\d-\d\d/);
      expect(same.headers.get('location')).to.equal(null);
      expect(same.body.detail).to.match(/lookup/);
    });

    it('POST /api/applications › when another phone asks for the same company and product › returns 201 like a first request and flags it as a second contact', async () => {
      const body = await chosenBody(app, { count: 1, phone: '13700001111' });
      const first = await submit(body);
      const fresh = await submit(await chosenBody(app, { count: 1, phone: '13700002222' }));
      const stranger = await submit({ ...body, contact: { name: '路人', phone: '13900000000' } });
      expect(stranger.status, stranger.text).to.equal(201);
      expect(Object.keys(stranger.body).sort()).to.deep.equal(Object.keys(fresh.body).sort());
      expect(stranger.text).not.to.contain(first.body.trackingToken).and.not.to.contain(first.body.reference);
      const [second] = await app.db.select().from(applications).where(eq(applications.id, stranger.body.id));
      expect(second).to.include({ secondContact: true, flaggedBroker: false });
      expect(second!.flagReason).to.contain('second contact').and.contain(first.body.reference);
      const [original] = await app.db.select().from(applications).where(eq(applications.id, first.body.id));
      expect(original).to.include({ secondContact: false, flaggedBroker: false, flagReason: null });
      const tracked = await app.call('GET', `/api/applications/track/${stranger.body.trackingToken}`);
      expect(tracked.text).not.to.match(/secondContact|second contact|flagReason/);
      expect(tracked.text).not.to.contain(first.body.reference).and.not.to.contain('13700001111');
    });

    it('lets only one of several racing submissions (different keys) through for the same company and product', async () => {
      const body = await chosenBody(app, { count: 1 });
      const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => submit(body, { 'idempotency-key': `race-key-${i}-0000` })));
      expect(answers.map((a) => a.status).sort()).to.deep.equal([201, 409, 409, 409, 409]);
    });

    it('is accepted again once the first request is withdrawn', async () => {
      const body = await chosenBody(app, { count: 1 });
      const first = await submit(body);
      await app.call('POST', `/api/applications/track/${first.body.trackingToken}/withdraw`, { body: {} });
      expect((await submit(body)).status).to.equal(201);
    });

    it('is accepted again after 30 days', async () => {
      const body = await chosenBody(app, { count: 1 });
      await submit(body);
      app.clock.advance(31 * 86_400_000);
      expect((await submit(body)).status).to.equal(201);
    });
  });

  describe('a phone applying for many companies', () => {
    it('flags the request for the desk once it covers more than 3 companies in 30 days', async () => {
      const phone = '13755550000';
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) ids.push((await submit(await chosenBody(app, { phone, count: 1 }))).body.id);
      const rows = await Promise.all(ids.map(async (id) => (await app.db.select().from(applications).where(eq(applications.id, id)))[0]!));
      expect(rows.map((r) => r.flaggedBroker)).to.deep.equal([false, false, false, true]);
      expect(rows[3]!.flagReason).to.contain('4 companies');
    });
  });
});

describe('POST /api/applications rate limits', function () {
  this.timeout(60_000);
  let app: TestApp;
  before(async () => {
    // The test client stands in for the reverse proxy on loopback, so X-Forwarded-For names the client here.
    app = await startTestApp({ config: { applicationRateLimit: { perIp: 3, perCompany: 2 }, trustProxy: ['loopback'] } });
    for (let i = 0; i < 3; i++) await buildLendingBank(app.db); // a request goes to at most three banks here
  });
  after(() => app.close());
  const from = (ip: string, body: object) => app.call('POST', '/api/applications', { body, headers: { 'x-forwarded-for': ip } });

  it('answers 429 with Retry-After after 3 requests an hour from one address', async () => {
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.7', await chosenBody(app, { count: 1 }))).status).to.equal(201);
    const limited = await from('203.0.113.7', await chosenBody(app, { count: 1 }));
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.body.detail).to.contain('this address');
    expect(Number(limited.headers.get('retry-after'))).to.be.within(1, 3600);
    expect((await from('203.0.113.8', await chosenBody(app, { count: 1 }))).status).to.equal(201);
  });

  it('POST /api/applications › after 2 accepted requests an hour for one company from one phone › answers 429 whatever the address', async () => {
    const all = await chosenBody(app, { count: 3 });
    const one = (k: number) => ({ ...all, productIds: [all.productIds[k]], consent: { ...all.consent, banks: [all.consent.banks[k]] } });
    expect((await from('198.51.100.1', one(0))).status).to.equal(201);
    expect((await from('198.51.100.2', one(1))).status).to.equal(201);
    const limited = await from('198.51.100.3', one(2));
    expectProblem(limited, 429, 'rate_limited');
    expect(limited.body.detail).to.contain('this company');
  });

  let ip = 0;
  const fromNew = (body: object) => from(`192.0.2.${++ip}`, body);
  /** A body the schema accepts but the service refuses (an outdated consent: 422, nothing written). */
  const junk = async (company: Record<string, unknown>, phone: string) => {
    const body = await chosenBody(app, { company, count: 1, phone });
    return { ...body, consent: { ...body.consent, version: 'v0-outdated' } };
  };

  it('POST /api/applications › when someone sends refused requests for a company from their own phone or from its applicant’s › the real applicant still applies', async () => {
    const company = hardwareMaker();
    for (const phone of ['13900000000', '13900000000', '13900000000', '13812345678', '13812345678']) {
      expectProblem(await fromNew(await junk(company, phone)), 422, 'consent_outdated');
    }
    const real = await fromNew(await chosenBody(app, { company, count: 1 }));
    expect(real.status, real.text).to.equal(201);
  });

  it('POST /api/applications › when someone probes a company another phone applied for 20 minutes ago › answers exactly as for a company nobody applied for', async () => {
    const applied = hardwareMaker();
    expect((await fromNew(await chosenBody(app, { company: applied, count: 1 }))).status).to.equal(201);
    app.clock.advance(20 * 60_000);
    const probe = async (company: Record<string, unknown>) => {
      const answers: string[] = [];
      const answer = (r: { status: number; headers: Headers; body: { code?: string } }) => `${r.status} ${r.body.code ?? ''} ${r.headers.get('retry-after')}`;
      for (let i = 0; i < 3; i++) answers.push(answer(await fromNew(await junk(company, '13900000001'))));
      answers.push(answer(await fromNew(await chosenBody(app, { company, count: 1, phone: '13900000001' }))));
      return answers;
    };
    const seen = await probe(applied);
    expect(seen).to.deep.equal([...Array(3).fill('422 consent_outdated null'), '201  null']);
    expect(await probe(hardwareMaker())).to.deep.equal(seen);
  });
});
