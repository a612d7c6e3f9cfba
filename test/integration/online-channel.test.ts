import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { applications } from '../../models/applications';
import { channels, ensureOnlineChannel } from '../../models/channels';
import { randomCode } from '../../server/domain/codes';
import { startTestApp, type TestApp } from '../helpers/app';
import { chosenBody } from '../helpers/applications';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';

/** Requests made without a QR code (the website, 申请 in the catalogue) count under the city's online channel. */
describe('the online channel', function () {
  this.timeout(60_000);
  let app: TestApp;
  let online: number;

  before(async () => {
    app = await startTestApp();
    await buildLendingBank(app.db);
    online = await ensureOnlineChannel(app.db, randomCode());
  });
  after(() => app.close());

  const channelOf = async (id: number) => (await app.db.select({ c: applications.channelId }).from(applications).where(eq(applications.id, id)))[0]!.c;

  it('ensureOnlineChannel › when several starts race › makes one online channel', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map(() => ensureOnlineChannel(app.db, randomCode())));
    expect(new Set([...ids, online]).size).to.equal(1);
    expect(await app.db.select().from(channels).where(eq(channels.kind, 'online'))).to.have.length(1);
  });

  it('POST /api/applications › without a channel code › counts the request under the online channel', async () => {
    const res = await app.call('POST', '/api/applications', { body: await chosenBody(app, { count: 1 }) });
    expect(res.status, res.text).to.equal(201);
    expect(await channelOf(res.body.id)).to.equal(online);
  });

  it('POST /api/applications › with a scanned code › counts it under that code\'s channel, not the online one', async () => {
    const desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    const made = await app.call('POST', '/api/channels', { token: desk, body: { name: '高要区政务服务中心', kind: 'desk', district: '441204' } });
    expect(made.status, made.text).to.equal(201);
    const res = await app.call('POST', '/api/applications', { body: await chosenBody(app, { count: 1, channelCode: made.body.code, phone: '13912345678' }) });
    expect(res.status, res.text).to.equal(201);
    expect(await channelOf(res.body.id)).to.equal(made.body.id);
  });

  it('GET /api/reports/channels › lists the online channel with its requests', async () => {
    const desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    const report = await app.call('GET', '/api/reports/channels', { token: desk });
    expect(report.status, report.text).to.equal(200);
    const row = (report.body.items as { kind: string; applications?: number; requests?: number }[]).find((c) => c.kind === 'online');
    expect(row, 'the online channel is in the channel report').to.not.equal(undefined);
  });
});
