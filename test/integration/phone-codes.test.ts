import { expect } from 'chai';
import { phoneCodes } from '../../models/phone-codes';
import { smsMessages } from '../../models/sms';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { buildLendingBank } from '../helpers/factories';
import { chosenBody } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { codeSentTo, verifiedToken } from '../helpers/phone';

describe('Phone codes', function () {
  this.timeout(120_000);
  let app: TestApp;
  const PHONE = '13900001111';
  const ask = (phone = PHONE, purpose = 'apply') => app.call('POST', '/api/phone-codes', { body: { phone, purpose } });
  const verify = (code: string, phone = PHONE, purpose = 'apply') => app.call('POST', '/api/phone-codes/verify', { body: { phone, purpose, code } });
  const wrong = (code: string) => (code === '000000' ? '000001' : '000000');

  beforeEach(async () => {
    app = await startTestApp({ clock: new TestClock(new Date('2026-12-01T02:00:00Z')) });
  });
  afterEach(async () => app.close());

  it('POST /api/phone-codes › when a phone asks › returns 202, texts a 6-digit code at once and keeps only its hash', async () => {
    const res = await ask();
    expect(res.status).to.equal(202);
    expect(res.body).to.deep.equal({ expiresInSeconds: 600, resendAfterSeconds: 60 });
    const code = await codeSentTo(app, PHONE);
    expect(code).to.match(/^\d{6}$/);
    const [sms] = await app.db.select().from(smsMessages);
    expect(sms).to.include({ urgent: true, purpose: 'code:apply' });
    expect(sms!.text).to.contain(code);
    const [stored] = await app.db.select().from(phoneCodes);
    expect(stored!.codeHash).to.have.length(64);
    expect(stored!.codeHash).to.not.contain(code);
  });

  it('POST /api/phone-codes › when the service runs in development with the log provider › also answers devCode (and only then)', async () => {
    const dev = await startTestApp({ config: { nodeEnv: 'development' } });
    const http = await startTestApp({ config: { nodeEnv: 'development', sms: { provider: 'http', http: { url: 'http://127.0.0.1:9/x', secret: 's'.repeat(32) }, templateIds: {} } } });
    try {
      const res = await dev.call('POST', '/api/phone-codes', { body: { phone: PHONE, purpose: 'apply' } });
      expect(res.body.devCode).to.equal(await codeSentTo(dev, PHONE));
      expect((await http.call('POST', '/api/phone-codes', { body: { phone: PHONE, purpose: 'apply' } })).body).to.not.have.property('devCode');
      expect((await ask()).body).to.not.have.property('devCode');
    } finally {
      await dev.close();
      await http.close();
    }
  });

  it('POST /api/phone-codes › when the body is malformed › returns 400 naming phone and purpose', async () => {
    expectFieldErrors(await app.call('POST', '/api/phone-codes', { body: { phone: '1234', purpose: 'spam' } }), ['phone', 'purpose']);
  });

  it('POST /api/phone-codes › when a phone asks again within a minute, or a sixth time in an hour › returns 429 with Retry-After', async () => {
    expect((await ask()).status).to.equal(202);
    const again = await ask();
    expectProblem(again, 429, 'rate_limited');
    expect(Number(again.headers.get('retry-after'))).to.be.within(1, 60);
    for (let i = 0; i < 4; i++) {
      app.clock.advance(61_000);
      expect((await ask()).status).to.equal(202);
    }
    app.clock.advance(61_000);
    const sixth = await ask();
    expectProblem(sixth, 429, 'rate_limited');
    expect(Number(sixth.headers.get('retry-after'))).to.be.within(60, 3600);
    expect(await app.db.select().from(smsMessages)).to.have.length(5);
  });

  it('POST /api/phone-codes › when one client asks for a 21st phone in an hour › returns 429', async () => {
    for (let i = 0; i < 20; i++) expect((await ask(`1390000${String(i).padStart(4, '0')}`)).status).to.equal(202);
    const res = await ask('13911112222');
    expectProblem(res, 429, 'rate_limited');
    expect(res.headers.get('retry-after')).to.match(/^\d+$/);
  });

  it('POST /api/phone-codes/verify › when the code is right › answers a phoneToken for 30 minutes, once', async () => {
    await ask();
    const code = await codeSentTo(app, PHONE);
    const res = await verify(code);
    expect(res.status).to.equal(200);
    expect(res.body.phoneToken).to.be.a('string');
    expect(res.body.expiresAt).to.equal('2026-12-01T02:30:00.000Z');
    expectProblem(await verify(code), 400, 'code_invalid');
  });

  it('POST /api/phone-codes/verify › when the code is wrong › returns 400 code_invalid; the fifth wrong try kills it (429 after, even for the right code)', async () => {
    await ask();
    const code = await codeSentTo(app, PHONE);
    for (let i = 0; i < 5; i++) {
      const res = await verify(wrong(code));
      expectProblem(res, 400, 'code_invalid');
      expect(res.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['code']);
    }
    const res = await verify(code);
    expectProblem(res, 429, 'code_exhausted');
    expect(res.headers.get('retry-after')).to.match(/^\d+$/);
  });

  it('POST /api/phone-codes/verify › when parallel guesses arrive › counts every one (at most 5 checked)', async () => {
    await ask();
    const code = await codeSentTo(app, PHONE);
    const answers = await Promise.all(Array.from({ length: 10 }, () => verify(wrong(code))));
    expect(answers.filter((a) => a.status === 400)).to.have.length(5);
    expect(answers.filter((a) => a.status === 429)).to.have.length(5);
  });

  it('POST /api/phone-codes/verify › when 10 minutes have passed › returns 400 code_expired', async () => {
    await ask();
    const code = await codeSentTo(app, PHONE);
    app.clock.advance(10 * 60_000 + 1000);
    expectProblem(await verify(code), 400, 'code_expired');
  });

  it('POST /api/phone-codes/verify › when the code was sent for another purpose or phone › returns 400', async () => {
    await ask(PHONE, 'lookup');
    const code = await codeSentTo(app, PHONE);
    expectProblem(await verify(code, PHONE, 'apply'), 400, 'code_invalid');
    expectProblem(await verify(code, '13900002222', 'lookup'), 400, 'code_invalid');
    expectFieldErrors(await app.call('POST', '/api/phone-codes/verify', { body: { phone: PHONE, purpose: 'lookup', code: '12ab' } }), ['code']);
  });
});

describe('POST /api/applications under PHONE_VERIFICATION=required', function () {
  this.timeout(120_000);
  let app: TestApp;
  const PHONE = '13812345678';

  before(async () => {
    app = await startTestApp({ config: { phoneVerification: 'required' } });
    // chosenBody asks two banks.
    await buildLendingBank(app.db);
    await buildLendingBank(app.db);
  });
  after(() => app.close());

  const submit = (body: object) => app.call('POST', '/api/applications', { body });

  it('POST /api/applications › when phoneToken is missing › returns 400 naming phoneToken', async () => {
    expectFieldErrors(await submit(await chosenBody(app, { phone: PHONE })), ['phoneToken']);
  });

  it('POST /api/applications › when the token is for another purpose, another phone, forged or expired › returns 400 naming phoneToken', async () => {
    const body = await chosenBody(app, { phone: PHONE });
    const lookup = await verifiedToken(app, PHONE, 'lookup');
    expectFieldErrors(await submit({ ...body, phoneToken: lookup }), ['phoneToken']);
    const other = await verifiedToken(app, '13812340000', 'apply');
    expectFieldErrors(await submit({ ...body, phoneToken: other }), ['phoneToken']);
    const [v, payload, mac] = other.split('.');
    const forged = `${v}.${Buffer.from(JSON.stringify({ p: PHONE, u: 'apply', e: Date.now() + 1e9 })).toString('base64url')}.${mac}`;
    expect(payload).to.not.equal(forged.split('.')[1]);
    expectFieldErrors(await submit({ ...body, phoneToken: forged }), ['phoneToken']);
    app.clock.advance(61_000);
    const late = await verifiedToken(app, PHONE, 'apply');
    app.clock.advance(30 * 60_000 + 1000);
    expectFieldErrors(await submit({ ...body, phoneToken: late }), ['phoneToken']);
  });

  it('POST /api/applications › when the token is for contact.phone and purpose apply › returns 201', async () => {
    app.clock.advance(61_000);
    const token = await verifiedToken(app, PHONE, 'apply');
    const res = await submit({ ...(await chosenBody(app, { phone: PHONE })), phoneToken: token });
    expect(res.status, res.text).to.equal(201);
  });
});
