import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { shortLinks } from '../../models/short-links';
import { smsMessages } from '../../models/sms';
import { slaCheck } from '../../server/jobs/sla-check';
import { smsDeliver } from '../../server/jobs/sms-deliver';
import { jobDeps, startTestApp, TestClock, type TestApp } from '../helpers/app';
import { chosenBody, requestAtBank } from '../helpers/applications';
import { expectProblem } from '../helpers/expect';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

describe('Messages to the applicant at every step', function () {
  this.timeout(120_000);
  let app: TestApp;
  let officer: string;
  let bankA: number;

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-03T10:00')), config: { publicBaseUrl: 'https://rongma.example.cn' } });
    bankA = (await buildLendingBank(app.db)).id;
    await buildLendingBank(app.db); // a second bank, for the request sent to two
    officer = await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: bankA }));
  });
  after(() => app.close());

  const post = (path: string, body: object = {}) => app.call('POST', path, { token: officer, body });
  const messagesOf = (applicationId: number) => app.db.select().from(smsMessages).where(eq(smsMessages.applicationId, applicationId)).orderBy(smsMessages.id);
  const send = () => smsDeliver.run(jobDeps(app));

  it('POST /api/applications › when a request goes to two banks › queues one "submitted" SMS with it, none when it is refused', async () => {
    const phone = '13700001111';
    const body = await chosenBody(app, { phone, count: 2 });
    const refused = await app.call('POST', '/api/applications', { body: { ...body, consent: { ...body.consent, banks: [body.consent.banks[0]] } } });
    expectProblem(refused, 422, 'consent_missing');
    expect(await app.db.select().from(smsMessages).where(eq(smsMessages.phone, phone))).to.have.length(0);
    const res = await app.call('POST', '/api/applications', { body });
    expect(res.status, res.text).to.equal(201);
    const rows = await messagesOf(res.body.id);
    expect(rows.map((r) => r.purpose)).to.deep.equal(['submitted']);
    expect(rows[0]!.phone).to.equal(phone);
  });

  it('lead lifecycle › when a bank claims, approves and disburses › each step is told once, signed, with a short link to the tracking page', async () => {
    const { leadId, applicationId, trackingToken } = await requestAtBank(app, bankA, { phone: '13700002222' });
    expect((await post(`/api/leads/${leadId}/claim`)).status).to.equal(200);
    expect((await post(`/api/leads/${leadId}/contact`)).status).to.equal(200);
    expect((await post(`/api/leads/${leadId}/decision`, { outcome: 'approved', amount: 800_000, ratePct: 3.45, termMonths: 12, guaranteeType: 'credit' })).status).to.equal(200);
    expect((await post(`/api/leads/${leadId}/disburse`, { amount: 800_000, disbursedOn: '2026-03-03' })).status).to.equal(200);
    await send();
    await send();
    const rows = await messagesOf(applicationId);
    expect(rows.map((r) => r.purpose)).to.deep.equal(['submitted', 'claimed', 'approved', 'disbursed']);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).to.equal(true);
    const approved = rows[2]!.text;
    expect(approved).to.contain('80万').and.to.contain('3.45%').and.to.match(/——肇庆市融资（首贷）专窗$/);
    const link = /https:\/\/rongma\.example\.cn\/t\/([0-9A-Z]{10,})/.exec(approved);
    expect(link, approved).to.not.equal(null);
    const hop = await app.call('GET', `/t/${link![1]}`);
    expect(hop.status).to.equal(302);
    expect(hop.headers.get('location')).to.equal(`/track/${trackingToken}`);

    const track = await app.call('GET', `/api/applications/track/${trackingToken}`);
    expect(track.body.messages.map((m: { text: string }) => m.text)).to.deep.equal(rows.map((r) => r.text));
    expect(track.body.messages[0].sentAt).to.be.a('string');
    expect(JSON.stringify(track.body.messages)).to.not.contain('13700002222');
  });

  it('lead lifecycle › when a bank declines › the message carries the second-look link', async () => {
    const { leadId, applicationId, trackingToken } = await requestAtBank(app, bankA, { phone: '13700003333' });
    await post(`/api/leads/${leadId}/claim`);
    expect((await post(`/api/leads/${leadId}/decision`, { outcome: 'declined', reasonCode: 'credit_record' })).status).to.equal(200);
    const declined = (await messagesOf(applicationId)).find((r) => r.purpose === 'declined')!;
    const [link] = await app.db.select().from(shortLinks).where(eq(shortLinks.code, declined.params.link!.slice(3)));
    expect(link!.target).to.equal(`/track/${trackingToken}?view=second-look`);
  });

  it('POST /api/leads/:id/amend › when a decision is corrected › the applicant is told the new terms', async () => {
    const { leadId, applicationId } = await requestAtBank(app, bankA, { phone: '13700004444' });
    await post(`/api/leads/${leadId}/claim`);
    await post(`/api/leads/${leadId}/contact`);
    await post(`/api/leads/${leadId}/decision`, { outcome: 'approved', amount: 800_000, ratePct: 3.45, termMonths: 12, guaranteeType: 'credit' });
    const res = await post(`/api/leads/${leadId}/amend`, { ratePct: 3.85, reason: '利率录入有误，按审批书更正' });
    expect(res.status, res.text).to.equal(200);
    const amended = (await messagesOf(applicationId)).find((r) => r.purpose === 'amended');
    expect(amended?.text).to.contain('3.85%');
  });

  it('sla-check › when nobody accepts a request in time › tells the applicant the desk took it over, once', async () => {
    const clock = new TestClock(sh('2026-03-03T10:00'));
    const late = await startTestApp({ clock });
    try {
      const bank = (await buildLendingBank(late.db)).id;
      const { applicationId } = await requestAtBank(late, bank, { phone: '13700005555' });
      clock.advance(20 * 86_400_000);
      await slaCheck.run(jobDeps(late));
      await slaCheck.run(jobDeps(late));
      const rows = await late.db.select().from(smsMessages).where(eq(smsMessages.applicationId, applicationId));
      expect(rows.filter((r) => r.purpose === 'takeover')).to.have.length(1);
    } finally {
      await late.close();
    }
  });

  it('GET /t/:code › when the code is unknown or too short › answers a 404 page that offers a way on', async () => {
    for (const code of ['ZZZZZZZZZZZZ', 'abc']) {
      const res = await app.call('GET', `/t/${code}`);
      expect(res.status).to.equal(404);
      expect(res.headers.get('content-type')).to.match(/html/);
      expect(res.text).to.contain('/apply');
    }
  });
});
