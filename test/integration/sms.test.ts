import { expect } from 'chai';
import { smsMessages } from '../../models/sms';
import type { SmsConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { deliverDueSms, queueSms } from '../../server/sms/outbox';
import type { SmsProvider } from '../../server/sms/provider';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBank, buildUser, tokenFor } from '../helpers/factories';
import { startReceiver } from '../helpers/receiver';
import { startAliyunStandIn, startTencentStandIn } from '../helpers/sms-vendors';

const templateIds = { code: '100001', submitted: '100002', claimed: '100003', approved: '100004', declined: '100005', disbursed: '100006', amended: '100007', takeover: '100008', watch: '100009', consent: '100010', coaching: '100011' };
// 10:00 in Shanghai.
const DAYTIME = new Date('2026-12-01T02:00:00Z');

describe('SMS outbox and providers', function () {
  let app: TestApp;
  const quiet = createLogger('silent');

  beforeEach(async () => {
    app = await startTestApp({ clock: new TestClock(DAYTIME) });
  });
  afterEach(async () => app.close());

  const queue = (phone: string, template: 'code' | 'submitted' = 'submitted', dedupeKey?: string) =>
    app.db.transaction((tx) => queueSms(tx, app.config, { phone, template, params: { ref: 'RM26120100001', link: 'http://x/t/ABCDEFGHJK', code: '123456' }, dedupeKey }, app.clock.now()));
  const send = (sms: SmsConfig, provider?: SmsProvider) => deliverDueSms({ db: app.db, clock: app.clock, logger: quiet, config: { ...app.config, sms }, provider });
  const rows = () => app.db.select().from(smsMessages).orderBy(smsMessages.id);

  describe('GET /api/admin/sms', () => {
    it('GET /api/admin/sms › when an admin asks for a phone › lists its messages unmasked, signed with the desk name', async () => {
      await queue('13900001111');
      await queue('13900002222');
      await send({ provider: 'log', templateIds: {} });
      const admin = await tokenFor(app, await buildUser(app.db, { role: 'admin' }));
      const res = await app.call('GET', '/api/admin/sms?phone=13900001111', { token: admin });
      expect(res.status).to.equal(200);
      expect(res.body.items).to.have.length(1);
      const [item] = res.body.items;
      expect(item).to.include({ phone: '13900001111', purpose: 'submitted', status: 'sent' });
      expect(item.text).to.contain('RM26120100001').and.to.match(/——肇庆市融资（首贷）专窗$/);
      expect(item.sentAt).to.be.a('string');
    });

    it('GET /api/admin/sms › when the desk asks › masks the phone', async () => {
      await queue('13900001111');
      const desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
      const res = await app.call('GET', '/api/admin/sms', { token: desk });
      expect(res.body.items[0].phone).to.equal('139****1111');
    });

    it('GET /api/admin/sms › when the caller is a bank officer, anonymous, or the phone is malformed › returns 403, 401, 400', async () => {
      const officer = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: (await buildBank(app.db)).id }));
      expectProblem(await app.call('GET', '/api/admin/sms', { token: officer }), 403);
      expectProblem(await app.call('GET', '/api/admin/sms'), 401);
      const admin = await tokenFor(app, await buildUser(app.db, { role: 'admin' }));
      expectFieldErrors(await app.call('GET', '/api/admin/sms?phone=12345', { token: admin }), ['phone']);
    });
  });

  describe('outbox', () => {
    it('queue › when the same change is queued twice › keeps one message', async () => {
      expect(await queue('13900001111', 'submitted', 'app:1:submitted')).to.equal(true);
      expect(await queue('13900001111', 'submitted', 'app:1:submitted')).to.equal(false);
      expect(await rows()).to.have.length(1);
    });

    it('quiet hours › when a non-urgent message is queued at 23:00 Shanghai › waits for 08:00 while a code goes at once', async () => {
      app.clock.set(new Date('2026-12-01T15:00:00Z')); // 23:00 Shanghai
      await queue('13900001111', 'submitted');
      await queue('13900001111', 'code');
      expect(await send({ provider: 'log', templateIds: {} })).to.deep.equal({ sent: 1, failed: 0, dead: 0 });
      app.clock.set(new Date('2026-12-01T23:59:00Z')); // 07:59
      expect((await send({ provider: 'log', templateIds: {} })).sent).to.equal(0);
      app.clock.set(new Date('2026-12-02T00:00:00Z')); // 08:00
      expect((await send({ provider: 'log', templateIds: {} })).sent).to.equal(1);
      const [submitted, code] = await rows();
      expect(code!.sentAt!.toISOString()).to.equal('2026-12-01T15:00:00.000Z');
      expect(submitted!.sentAt!.toISOString()).to.equal('2026-12-02T00:00:00.000Z');
    });

    it('sender › when the process dies mid-batch › loses no message and sends none twice', async () => {
      for (let i = 0; i < 5; i++) await queue(`1390000000${i}`);
      const delivered: number[] = [];
      let calls = 0;
      const dying: SmsProvider = { name: 'dying', send: async (m) => (++calls <= 2 ? (delivered.push(m.id), { ok: true }) : new Promise(() => {})) };
      void send({ provider: 'log', templateIds: {} }, dying);
      await new Promise((r) => setTimeout(r, 300));
      const healthy: SmsProvider = { name: 'healthy', send: async (m) => (delivered.push(m.id), { ok: true }) };
      expect((await send({ provider: 'log', templateIds: {} }, healthy)).sent, 'the lease keeps others off').to.equal(0);
      app.clock.advance(61_000);
      expect((await send({ provider: 'log', templateIds: {} }, healthy)).sent).to.equal(3);
      expect(delivered.sort()).to.deep.equal((await rows()).map((r) => r.id).sort());
      expect((await rows()).every((r) => r.status === 'sent')).to.equal(true);
    });

    it('http provider › when the gateway answers › gets {to, template, params, text} signed like a webhook; a 503 retries', async () => {
      const secret = 'gateway-secret-gateway-secret-0123456789';
      const gateway = await startReceiver(secret);
      try {
        const sms: SmsConfig = { provider: 'http', http: { url: gateway.url, secret }, templateIds: {} };
        await queue('13900001111');
        gateway.state.down = true;
        expect((await send(sms)).failed).to.equal(1);
        gateway.state.down = false;
        app.clock.advance(3600_000);
        expect((await send(sms)).sent).to.equal(1);
        expect(gateway.state.badSignatures).to.equal(0);
        const [body] = [...gateway.seen.values()] as { to: string; template: string; params: Record<string, string>; text: string }[];
        expect(body).to.include({ to: '13900001111', template: 'submitted' });
        expect(body!.params.ref).to.equal('RM26120100001');
        expect(body!.text).to.contain('RM26120100001');
      } finally {
        await gateway.close();
      }
    });

    it('http provider › when the gateway is an internal address not allowed › refuses to send and keeps the message', async () => {
      const gateway = await startReceiver('s'.repeat(32));
      try {
        await queue('13900001111');
        const r = await deliverDueSms({ db: app.db, clock: app.clock, logger: quiet, config: { ...app.config, webhookAllowedHosts: [], sms: { provider: 'http', http: { url: gateway.url, secret: 's'.repeat(32) }, templateIds: {} } } });
        expect(r.failed).to.equal(1);
        expect(gateway.state.requests).to.equal(0);
        const [row] = await rows();
        expect(row!.status).to.equal('pending');
        expect(row!.lastError).to.match(/refused/);
      } finally {
        await gateway.close();
      }
    });
  });

  for (const vendor of ['tencent', 'aliyun'] as const) {
    describe(`${vendor} provider through the official SDK`, () => {
      let standIn: Awaited<ReturnType<typeof startTencentStandIn>>;
      beforeEach(async () => {
        standIn = vendor === 'tencent' ? await startTencentStandIn() : await startAliyunStandIn();
      });
      afterEach(async () => standIn.close());
      const config = (): SmsConfig => ({
        provider: vendor, signName: '肇庆政务', templateIds,
        ...(vendor === 'tencent'
          ? { tencent: { secretId: 'AKIDtestid000', secretKey: 'testkey00000', appId: '1400123456', region: 'ap-guangzhou', endpoint: standIn.endpoint } }
          : { aliyun: { accessKeyId: 'LTAItestid000', accessKeySecret: 'testsecret000', endpoint: standIn.endpoint } }),
      });

      it(`${vendor} › when the vendor accepts › marks the message sent with the vendor's id, template and params as registered`, async () => {
        await queue('13900001111');
        expect(await send(config())).to.deep.equal({ sent: 1, failed: 0, dead: 0 });
        const [row] = await rows();
        expect(row!.status).to.equal('sent');
        expect(row!.providerId).to.match(vendor === 'tencent' ? /^serial-/ : /^biz-/);
        const seen = standIn.seen[0]!;
        if (vendor === 'tencent') {
          const body = JSON.parse(seen.body);
          expect(body).to.include({ SmsSdkAppId: '1400123456', SignName: '肇庆政务', TemplateId: '100002' });
          expect(body.PhoneNumberSet).to.deep.equal(['+8613900001111']);
          expect(body.TemplateParamSet).to.deep.equal(['RM26120100001', 'http://x/t/ABCDEFGHJK', '肇庆市融资（首贷）专窗']);
        } else {
          const q = new URL(seen.url, 'http://x').searchParams;
          expect(q.get('PhoneNumbers')).to.equal('13900001111');
          expect(q.get('TemplateCode')).to.equal('100002');
          expect(JSON.parse(q.get('TemplateParam')!)).to.include({ ref: 'RM26120100001' });
        }
      });

      it(`${vendor} › when the vendor has a passing error › retries later and then sends`, async () => {
        await queue('13900001111');
        standIn.state.mode = 'transient';
        expect((await send(config())).failed).to.equal(1);
        standIn.state.mode = 'http500';
        app.clock.advance(3600_000);
        expect((await send(config())).failed).to.equal(1);
        standIn.state.mode = 'ok';
        app.clock.advance(3 * 3600_000);
        expect((await send(config())).sent).to.equal(1);
        const [row] = await rows();
        expect(row!.attempts).to.equal(3);
      });

      it(`${vendor} › when the vendor refuses the template for good › dead-letters at once and shows it in the backlog`, async () => {
        await queue('13900001111');
        standIn.state.mode = 'permanent';
        expect((await send(config())).dead).to.equal(1);
        const [row] = await rows();
        expect(row!.status).to.equal('dead');
        expect(row!.lastError).to.match(/Template|TEMPLATE/);
        app.clock.advance(86_400_000);
        expect(await send(config()), 'a dead letter is not tried again').to.deep.equal({ sent: 0, failed: 0, dead: 0 });
        expect(standIn.seen).to.have.length(1);
      });
    });
  }
});
