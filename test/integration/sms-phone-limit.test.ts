import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { leads } from '../../models/leads';
import { smsMessages } from '../../models/sms';
import { smsDeliver } from '../../server/jobs/sms-deliver';
import { PHONE_DAILY_LIMIT, queueSms } from '../../server/sms/outbox';
import { jobDeps, startTestApp, TestClock, type TestApp } from '../helpers/app';
import { requestAtBank } from '../helpers/applications';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

describe('SMS: per-phone daily limit of non-urgent messages', function () {
  this.timeout(120_000);
  let app: TestApp;

  beforeEach(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-03T10:00')) });
  });
  afterEach(async () => app.close());

  let n = 0;
  const queue = (phone: string, template: 'submitted' | 'code' = 'submitted') =>
    app.db.transaction((tx) => queueSms(tx, null, { phone, template, params: { ref: 'RM26030300001', link: '/t/ABCDEFGHJKLM', code: '123456' }, dedupeKey: `limit-test:${++n}` }, app.clock.now()));
  const rowsOf = (phone: string) => app.db.select().from(smsMessages).where(eq(smsMessages.phone, phone)).orderBy(smsMessages.id);
  const send = () => smsDeliver.run(jobDeps(app));

  it('outbox › when a phone has been queued its non-urgent messages for the Shanghai day › the next is kept as skipped and never sent, while a code and another phone still go', async () => {
    const phone = '13600001111';
    for (let i = 0; i < PHONE_DAILY_LIMIT; i++) expect(await queue(phone)).to.equal(true);
    expect(await queue(phone), 'the skipped message is still recorded').to.equal(true);
    expect(await queue(phone, 'code')).to.equal(true);
    await queue('13600002222');
    await send();

    const rows = await rowsOf(phone);
    expect(rows.map((r) => r.status)).to.deep.equal([...Array<string>(PHONE_DAILY_LIMIT).fill('sent'), 'skipped', 'sent']);
    const skipped = rows[PHONE_DAILY_LIMIT]!;
    expect(skipped).to.include({ skippedReason: 'phone_daily_limit', attempts: 0, sentAt: null });
    expect(rows[PHONE_DAILY_LIMIT + 1]).to.include({ template: 'code', skippedReason: null });
    expect((await rowsOf('13600002222'))[0]!.status).to.equal('sent');

    const admin = await tokenFor(app, await buildUser(app.db, { role: 'admin' }));
    const listed = await app.call('GET', `/api/admin/sms?phone=${phone}`, { token: admin });
    const listedSkipped = listed.body.items.filter((m: { status: string }) => m.status === 'skipped');
    expect(listedSkipped).to.have.length(1);
    expect(listedSkipped[0]).to.include({ skippedReason: 'phone_daily_limit', sentAt: null });
  });

  it('outbox › when the Shanghai day turns › the phone has its full allowance again', async () => {
    const phone = '13600003333';
    app.clock.set(sh('2026-03-03T23:59'));
    for (let i = 0; i < PHONE_DAILY_LIMIT + 1; i++) await queue(phone);
    app.clock.set(sh('2026-03-04T00:00'));
    await queue(phone);
    const rows = await rowsOf(phone);
    expect(rows.map((r) => r.status)).to.deep.equal([...Array<string>(PHONE_DAILY_LIMIT).fill('pending'), 'skipped', 'pending']);
  });

  it('POST /api/leads/:id/claim › when the applicant\'s phone is at its daily limit › the claim succeeds and its message is recorded as skipped', async () => {
    const bank = await buildLendingBank(app.db);
    const officer = await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: bank.id }));
    const phone = '13600004444';
    const { leadId, applicationId } = await requestAtBank(app, bank.id, { phone });
    // The "submitted" message plus others of the same day use the allowance up.
    for (let i = 1; i < PHONE_DAILY_LIMIT; i++) await queue(phone);

    const res = await app.call('POST', `/api/leads/${leadId}/claim`, { token: officer });
    expect(res.status, res.text).to.equal(200);
    expect((await app.db.select().from(leads).where(eq(leads.id, leadId)))[0]!.status).to.equal('claimed');
    const claimed = (await app.db.select().from(smsMessages).where(eq(smsMessages.applicationId, applicationId))).find((r) => r.purpose === 'claimed');
    expect(claimed).to.include({ status: 'skipped', skippedReason: 'phone_daily_limit' });
    await send();
    expect((await rowsOf(phone)).filter((r) => r.status === 'sent')).to.have.length(PHONE_DAILY_LIMIT);
  });
});
