import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { applications } from '../../models/applications';
import { startTestApp, type TestApp } from '../helpers/app';
import { chosenBody } from '../helpers/applications';
import { expectProblem } from '../helpers/expect';
import { buildLendingBank } from '../helpers/factories';

/** Who the client is: only a configured reverse proxy (TRUST_PROXY) may say so through X-Forwarded-For. */
describe('client address (TRUST_PROXY)', function () {
  this.timeout(60_000);

  async function submitFrom(app: TestApp, forwardedFor: string) {
    return app.call('POST', '/api/applications', { body: await chosenBody(app, { count: 1 }), headers: { 'x-forwarded-for': forwardedFor } });
  }

  async function consentIpOf(app: TestApp, id: number) {
    const [row] = await app.db.select({ ip: applications.consentIp }).from(applications).where(eq(applications.id, id));
    return row?.ip;
  }

  describe('when TRUST_PROXY is unset (the default)', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ config: { applicationRateLimit: { perIp: 3, perCompany: 100 } } });
      await buildLendingBank(app.db);
    });
    after(() => app.close());

    it('ignores X-Forwarded-For: a spoofed header neither escapes the per-address limit nor lands in the consent record', async () => {
      const first = await submitFrom(app, '198.51.100.1');
      expect(first.status, first.text).to.equal(201);
      expect(await consentIpOf(app, first.body.id)).to.match(/^(::ffff:)?127\.0\.0\.1$/);
      for (const ip of ['198.51.100.2', '198.51.100.3']) expect((await submitFrom(app, ip)).status).to.equal(201);
      expectProblem(await submitFrom(app, '198.51.100.4'), 429, 'rate_limited');
    });
  });

  describe('when TRUST_PROXY names the proxy', () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ config: { applicationRateLimit: { perIp: 3, perCompany: 100 }, trustProxy: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] } });
      await buildLendingBank(app.db);
    });
    after(() => app.close());

    it('reads the client address the proxy forwards', async () => {
      const res = await submitFrom(app, '198.51.100.9');
      expect(res.status, res.text).to.equal(201);
      expect(await consentIpOf(app, res.body.id)).to.equal('198.51.100.9');
    });
  });
});
