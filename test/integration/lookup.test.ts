import { expect } from 'chai';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { hardwareMaker, requestAtBank, uscc } from '../helpers/applications';
import { expectFieldErrors } from '../helpers/expect';
import { sh } from '../helpers/time';
import { verifiedToken } from '../helpers/phone';
import { buildLendingBank } from '../helpers/factories';

describe('POST /api/applications/lookup', function () {
  this.timeout(120_000);
  let app: TestApp;
  const A = '13600001111';
  const B = '13600002222';
  const mine: string[] = [];
  let old: string;

  before(async () => {
    // PHONE_VERIFICATION=off (the test default): a lookup asks for its token all the same.
    app = await startTestApp({ clock: new TestClock(sh('2026-03-03T10:00')), config: { publicBaseUrl: 'https://rongma.example.cn' } });
    const bank = (await buildLendingBank(app.db)).id;
    old = (await requestAtBank(app, bank, { phone: A, company: hardwareMaker({ uscc: uscc() }) })).trackingToken;
    app.clock.advance(181 * 86_400_000);
    for (let i = 0; i < 2; i++) mine.push((await requestAtBank(app, bank, { phone: A, company: hardwareMaker({ uscc: uscc() }) })).trackingToken);
    await requestAtBank(app, bank, { phone: B, company: hardwareMaker({ uscc: uscc() }) });
  });
  after(() => app.close());

  const lookup = (body: object) => app.call('POST', '/api/applications/lookup', { body });

  it('POST /api/applications/lookup › when the phone is verified for lookup › lists its requests of the last 180 days with their links, newest first', async () => {
    const res = await lookup({ phone: A, phoneToken: await verifiedToken(app, A, 'lookup') });
    expect(res.status, res.text).to.equal(200);
    expect(res.body.items.map((i: { trackingUrl: string }) => i.trackingUrl)).to.deep.equal(mine.slice().reverse().map((t) => `https://rongma.example.cn/track/${t}`));
    expect(res.body.items.map((i: { trackingUrl: string }) => i.trackingUrl).join()).to.not.contain(old);
    for (const item of res.body.items) expect(item).to.have.keys('id', 'reference', 'createdAt', 'status', 'trackingUrl');
    expect(res.body.items[0].reference).to.match(/^RM\d{11}$/);
    const track = await app.call('GET', `/api/applications/track/${mine[1]}`);
    expect(track.status).to.equal(200);
  });

  it('POST /api/applications/lookup › when the token is missing, for another purpose or another phone › returns 400 naming phoneToken', async () => {
    expectFieldErrors(await lookup({ phone: A }), ['phoneToken']);
    app.clock.advance(61_000);
    expectFieldErrors(await lookup({ phone: A, phoneToken: await verifiedToken(app, A, 'apply') }), ['phoneToken']);
    expectFieldErrors(await lookup({ phone: A, phoneToken: await verifiedToken(app, B, 'lookup') }), ['phoneToken']);
    expectFieldErrors(await lookup({ phone: A, phoneToken: 'pt1.forged.token' }), ['phoneToken']);
  });

  it('POST /api/applications/lookup › when the phone is malformed › returns 400 naming phone', async () => {
    expectFieldErrors(await lookup({ phone: '0755-1234', phoneToken: 'x' }), ['phone']);
  });
});
