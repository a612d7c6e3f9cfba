import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { applications } from '../../models/applications';
import { assistedRequests } from '../../models/assisted';
import { smsMessages } from '../../models/sms';
import { auditLog } from '../../models/audit';
import { leads } from '../../models/leads';
import { assistedLapse } from '../../server/jobs/assisted-lapse';
import { createLogger } from '../../server/logger';
import { issuePhoneToken } from '../../server/phone-token';
import { startTestApp, TEST_JWT_SECRET, TestClock, type TestApp } from '../helpers/app';
import { chosenBody, hardwareMaker } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBank, buildLendingBank, buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

const HOUR = 3_600_000;
const PHONE = '13812345678';

describe('assisted applications (代办)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let desk: string;
  let deskId: number;
  let officer: string;
  let bankAdmin: string;
  let users: Awaited<ReturnType<typeof buildUser>>[];
  async function signIn() {
    [desk, officer, bankAdmin] = await Promise.all(users.map((u) => tokenFor(app, u))) as [string, string, string];
  }
  const phoneToken = (phone = PHONE, purpose: 'consent' | 'apply' = 'consent') => issuePhoneToken(TEST_JWT_SECRET, phone, purpose, app.clock.now()).phoneToken;

  /** The /apply body the desk fills in (without the owner's consent, which comes from the phone). */
  async function assistedBody(company?: Record<string, unknown>) {
    const { consent: _consent, ...rest } = await chosenBody(app, { company, phone: PHONE, count: 2 });
    return rest;
  }
  async function file(company?: Record<string, unknown>) {
    const body = await assistedBody(company);
    const res = await app.call('POST', '/api/applications/assisted', { token: desk, body });
    expect(res.status, res.text).to.equal(202);
    return { body, res, token: String(res.body.consentUrl).split('/consent/')[1]! };
  }

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-02T10:00')), config: { publicBaseUrl: 'https://rongma.example.cn', phoneVerification: 'required' } });
    // Two banks the company qualifies at, for the request the desk makes on its behalf.
    await buildLendingBank(app.db);
    await buildLendingBank(app.db);
    const bank = await buildBank(app.db);
    users = [await buildUser(app.db, { role: 'desk', name: '窗口王' }), await buildUser(app.db, { role: 'bank_officer', bankId: bank.id }), await buildUser(app.db, { role: 'bank_admin', bankId: bank.id })];
    deskId = users[0]!.id;
    await signIn();
  });
  after(() => app.close());

  it('POST /api/applications/assisted › when the desk files for an owner › returns 202 awaiting_consent, creates no application or lead yet, audited, and texts the consent link', async () => {
    const [before] = await app.db.select({ n: applications.id }).from(applications).orderBy(applications.id).limit(1);
    const { res, body, token } = await file();
    expect(res.body).to.include({ status: 'awaiting_consent' });
    expect(res.body.id).to.be.a('number');
    expect(res.body.consentUrl).to.match(/^https:\/\/rongma\.example\.cn\/consent\/[\w-]{32}$/);
    expect(res.body.assistedBy).to.deep.equal({ id: deskId, name: '窗口王' });
    expect(res.body.recipients.map((r: { productId: number }) => r.productId)).to.deep.equal(body.productIds);
    const [after] = await app.db.select({ n: applications.id }).from(applications).orderBy(applications.id).limit(1);
    expect(after).to.deep.equal(before);
    const audit = await app.db.select().from(auditLog).where(eq(auditLog.action, 'application.assist'));
    expect(audit.map((a) => a.entityId)).to.include(String(res.body.id));
    // The contact's phone gets the link at once (urgent: the owner is at the window); its short link opens the consent page.
    const [sms, ...more] = await app.db.select().from(smsMessages).where(and(eq(smsMessages.phone, PHONE), eq(smsMessages.template, 'consent')));
    expect(more, 'one consent message').to.deep.equal([]);
    expect(sms!.urgent).to.equal(true);
    expect(sms!.text).to.contain('72小时内').and.contain('确认授权').and.contain(`${res.body.recipients.length}家银行`);
    const redirect = await app.call('GET', (sms!.params as { link: string }).link);
    expect(redirect.status).to.be.within(300, 399);
    expect(redirect.headers.get('location')).to.match(new RegExp(`/consent/${token}$`));
  });

  it('POST /api/applications/assisted › when fields are wrong › returns 400 naming each, with the /apply rules', async () => {
    const body = await assistedBody();
    const bad = { ...body, company: { ...body.company, uscc: '91441204MA4W1234X1', employees: -1 }, contact: { name: '李', phone: '123' }, productIds: [] };
    expectFieldErrors(await app.call('POST', '/api/applications/assisted', { token: desk, body: bad }), ['company.uscc', 'company.employees', 'contact.phone', 'productIds']);
  });

  it('POST /api/applications/assisted › when a chosen product does not fit the company › returns 422 as /apply does', async () => {
    const body = await assistedBody();
    const poor = hardwareMaker({ overdueCount: 9, taxRating: 'D', establishedOn: '2026-01-01', annualRevenue: 0 });
    const res = await app.call('POST', '/api/applications/assisted', { token: desk, body: { ...body, company: poor } });
    expectProblem(res, 422, 'product_not_eligible');
  });

  it('POST /api/applications/assisted › when a bank user files or lists › returns 403; without a session 401', async () => {
    const body = await assistedBody();
    for (const token of [officer, bankAdmin]) {
      expectProblem(await app.call('POST', '/api/applications/assisted', { token, body }), 403, 'forbidden');
      expectProblem(await app.call('GET', '/api/applications/assisted', { token }), 403, 'forbidden');
    }
    expectProblem(await app.call('POST', '/api/applications/assisted', { body }), 401);
  });

  describe('the owner confirms on their phone', () => {
    let filed: Awaited<ReturnType<typeof file>>;
    before(async () => {
      filed = await file();
    });

    it('GET /api/consent/:token › when the owner opens the link › names each recipient bank, what is shared and for how long, the contact masked', async () => {
      const res = await app.call('GET', `/api/consent/${filed.token}`);
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ status: 'awaiting_consent', assistedBy: '窗口王' });
      expect(res.body.expiresAt).to.equal(new Date(app.clock.now().getTime() + 72 * HOUR).toISOString());
      expect(res.body.recipients).to.have.length(2);
      for (const r of res.body.recipients) expect(r.bankName).to.be.a('string').and.not.equal('');
      expect(res.body.consent.text.zh.shared).to.include('统一社会信用代码');
      expect(res.body.consent.retentionDays).to.equal(180);
      expect(res.body.contact).to.deep.equal({ name: '梁*', phone: '138****5678' });
      expect(res.text).not.to.include(PHONE);
    });

    it('GET /api/consent/:token › when the token is unknown or malformed › returns 404 or 400', async () => {
      expectProblem(await app.call('GET', `/api/consent/${'x'.repeat(32)}`), 404, 'consent_not_found');
      expectFieldErrors(await app.call('GET', '/api/consent/short'), ['token']);
    });

    it('POST /api/consent/:token/confirm › with another phone\'s code, or a code for another purpose, or none › returns 400 on phoneToken and sends nothing', async () => {
      for (const t of [phoneToken('13900001111'), phoneToken(PHONE, 'apply'), 'pt1.forged.token']) {
        expectFieldErrors(await app.call('POST', `/api/consent/${filed.token}/confirm`, { body: { phoneToken: t } }), ['phoneToken']);
      }
      expectFieldErrors(await app.call('POST', `/api/consent/${filed.token}/confirm`, { body: {} }), ['phoneToken']);
      const [row] = await app.db.select().from(assistedRequests).where(eq(assistedRequests.token, filed.token));
      expect(row).to.include({ status: 'awaiting_consent', applicationId: null });
    });

    it('POST /api/consent/:token/confirm › with the owner\'s code › returns 201 with the application answer; the leads go out and the request names who assisted', async () => {
      const res = await app.call('POST', `/api/consent/${filed.token}/confirm`, { body: { phoneToken: phoneToken() } });
      expect(res.status, res.text).to.equal(201);
      expect(res.body.trackingToken).to.match(/^[\w-]{32}$/);
      expect(res.body.leads).to.have.length(2);
      const [a] = await app.db.select().from(applications).where(eq(applications.id, res.body.id));
      expect(a).to.include({ assistedBy: deskId, contactPhone: PHONE });
      const ls = await app.db.select().from(leads).where(eq(leads.applicationId, res.body.id));
      expect(ls.map((l) => l.productId).sort()).to.deep.equal([...filed.body.productIds].sort());
      const track = await app.call('GET', `/api/applications/track/${res.body.trackingToken}`);
      expect(track.status).to.equal(200);
      const list = await app.call('GET', '/api/applications/assisted?status=confirmed', { token: desk });
      expect(list.body.items.map((i: { id: number; applicationId: number }) => [i.id, i.applicationId])).to.deep.include([filed.res.body.id, res.body.id]);
    });

    it('POST /api/consent/:token/confirm › when confirmed already › returns 409 and sends nothing twice', async () => {
      const res = await app.call('POST', `/api/consent/${filed.token}/confirm`, { body: { phoneToken: phoneToken() } });
      expectProblem(res, 409, 'consent_already_given');
      const ls = await app.db.select().from(leads).where(eq(leads.applicationId, (await app.db.select().from(assistedRequests).where(eq(assistedRequests.token, filed.token)))[0]!.applicationId!));
      expect(ls).to.have.length(2);
    });
  });

  describe('an owner who never confirms', () => {
    it('POST /api/consent/:token/confirm › after 72 hours › the request has lapsed: 409, no leads; the job marks the others', async () => {
      app.clock.set(sh('2026-03-02T10:00'));
      await signIn();
      const read = await file();
      const idle = await file();
      app.clock.advance(72 * HOUR + 60_000);
      const page = await app.call('GET', `/api/consent/${read.token}`);
      expect(page.body.status).to.equal('lapsed');
      expectProblem(await app.call('POST', `/api/consent/${read.token}/confirm`, { body: { phoneToken: phoneToken() } }), 409, 'consent_lapsed');
      const ran = await assistedLapse.run({ db: app.db, clock: app.clock, logger: createLogger('silent'), config: app.config });
      expect(ran.lapsed).to.be.at.least(1);
      const [row] = await app.db.select().from(assistedRequests).where(eq(assistedRequests.token, idle.token));
      expect(row).to.include({ status: 'lapsed', applicationId: null });
      expectProblem(await app.call('POST', `/api/consent/${idle.token}/confirm`, { body: { phoneToken: phoneToken() } }), 409, 'consent_lapsed');
    });

    it('POST /api/consent/:token/confirm › just before 72 hours › still confirms', async () => {
      app.clock.set(sh('2026-03-10T10:00'));
      await signIn();
      const late = await file();
      app.clock.advance(72 * HOUR - 60_000);
      const res = await app.call('POST', `/api/consent/${late.token}/confirm`, { body: { phoneToken: phoneToken() } });
      expect(res.status, res.text).to.equal(201);
    });
  });

  describe('GET /api/applications/assisted/report', () => {
    it('GET /api/applications/assisted/report › counted by hand › answers who assisted how many and what became of them', async () => {
      // Filed in March by 窗口王: the first test's (lapsed by the job), the one confirmed with 2 leads, the two
      // left to lapse, and the one confirmed just in time with 2 leads: 5 filed, 2 confirmed, 3 lapsed, 4 leads.
      await signIn();
      const res = await app.call('GET', '/api/applications/assisted/report?from=2026-03-01&to=2026-03-31', { token: desk });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.deep.equal({
        from: '2026-03-01', to: '2026-03-31', filed: 5, confirmed: 2, lapsed: 3, awaiting: 0, leads: 4,
        byStaff: [{ userId: deskId, name: '窗口王', filed: 5, confirmed: 2, lapsed: 3, awaiting: 0, leads: 4 }],
      });
      const april = await app.call('GET', '/api/applications/assisted/report?from=2026-04-01&to=2026-04-30', { token: desk });
      expect(april.body).to.include({ filed: 0, leads: 0 });
      expect(april.body.byStaff).to.deep.equal([]);
      expectFieldErrors(await app.call('GET', '/api/applications/assisted/report?from=2026-04-01&to=2026-03-01', { token: desk }), ['from']);
      expectProblem(await app.call('GET', '/api/applications/assisted/report', { token: bankAdmin }), 403, 'forbidden');
    });
  });
});
