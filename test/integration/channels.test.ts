import http from 'node:http';
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { BankRow, BranchRow } from '../../models/banks';
import { channels } from '../../models/channels';
import { startTestApp, type TestApp } from '../helpers/app';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBank, buildBranch, buildUser, tokenFor } from '../helpers/factories';

describe('QR channels', () => {
  let app: TestApp;
  let bankA: BankRow;
  let bankB: BankRow;
  let branchA: BranchRow;
  let branchB: BranchRow;
  const t: Record<string, string> = {};

  before(async () => {
    app = await startTestApp({ config: { publicBaseUrl: 'https://rongma.zhaoqing.example' } });
    bankA = await buildBank(app.db);
    bankB = await buildBank(app.db);
    branchA = await buildBranch(app.db, bankA.id, { district: '441204' });
    branchB = await buildBranch(app.db, bankB.id);
    t.desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    t.adminA = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: bankA.id }));
    t.adminB = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: bankB.id }));
    t.officerA = await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: bankA.id }));
  });
  after(() => app.close());

  const create = (token: string, body: object) => app.call('POST', '/api/channels', { token, body });

  describe('POST /api/channels', () => {
    it('gives the desk a channel with an unguessable code and its link', async () => {
      const res = await create(t.desk!, { name: '市政务服务中心融资专窗', kind: 'desk', district: '441202' });
      expect(res.status).to.equal(201);
      expect(res.body.code).to.match(/^[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(res.body.url).to.equal(`https://rongma.zhaoqing.example/q/${res.body.code}`);
      expect(res.body).to.include({ kind: 'desk', scanCount: 0, active: true });
      const codes = new Set<string>();
      for (let i = 0; i < 20; i++) codes.add((await create(t.desk!, { name: `活动${i}`, kind: 'event' })).body.code);
      expect(codes.size).to.equal(20);
    });

    it('puts a bank admin\'s channel in their own bank, takes the district from the branch, refuses another bank\'s branch', async () => {
      const res = await create(t.adminA!, { name: '高要支行网点', kind: 'branch', bankId: bankB.id, branchId: branchA.id });
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ bankId: bankA.id, branchId: branchA.id, district: '441204' });
      expectFieldErrors(await create(t.adminA!, { name: '越权网点', kind: 'branch', branchId: branchB.id }), ['branchId']);
    });

    it('is 403 for officers, 401 for the public, 400 naming bad fields', async () => {
      expectProblem(await create(t.officerA!, { name: '网点', kind: 'branch' }), 403);
      expectProblem(await app.call('POST', '/api/channels', { body: { name: '网点', kind: 'branch' } }), 401);
      expectFieldErrors(await create(t.desk!, { name: 'x', kind: 'mall', district: '1', expiresAt: '2000-01-01' }), ['name', 'kind', 'district', 'expiresAt']);
    });
  });

  describe('reading channels across banks', () => {
    it('shows a bank admin only their bank\'s channels, and 404 for another bank\'s', async () => {
      const theirs = await create(t.adminB!, { name: '乙行网点', kind: 'branch', branchId: branchB.id });
      const list = await app.call('GET', '/api/channels?pageSize=200', { token: t.adminA });
      expect(list.body.items.every((c: { bankId: number }) => c.bankId === bankA.id)).to.equal(true);
      for (const path of ['', '/qr.png', '/qr.svg', '/poster']) {
        expectProblem(await app.call('GET', `/api/channels/${theirs.body.id}${path}`, { token: t.adminA }), 404, 'channel_not_found');
      }
      expectProblem(await app.call('PATCH', `/api/channels/${theirs.body.id}`, { token: t.adminA, body: { active: false } }), 404);
      const [row] = await app.db.select().from(channels).where(eq(channels.id, theirs.body.id));
      expect(row!.active).to.equal(true);
      const forged = await app.call('GET', `/api/channels?bankId=${bankB.id}`, { token: t.adminA });
      expect(forged.body.total).to.equal(0);
    });
  });

  describe('QR images', () => {
    it('draws a PNG that a QR decoder reads back as the channel link', async () => {
      const channel = (await create(t.desk!, { name: '高要区金渡镇便民服务中心', kind: 'town' })).body;
      const res = await fetch(`${app.baseUrl}/api/channels/${channel.id}/qr.png?size=400`, { headers: { authorization: `Bearer ${t.desk}` } });
      expect(res.headers.get('content-type')).to.equal('image/png');
      const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
      expect(png.width).to.equal(400);
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(decoded?.data).to.equal(channel.url);
    });

    it('bounds the size and serves SVG', async () => {
      const channel = (await create(t.desk!, { name: '园区', kind: 'park' })).body;
      expectFieldErrors(await app.call('GET', `/api/channels/${channel.id}/qr.png?size=5000`, { token: t.desk }), ['size']);
      const svg = await app.call('GET', `/api/channels/${channel.id}/qr.svg`, { token: t.desk });
      expect(svg.headers.get('content-type')).to.match(/^image\/svg\+xml/);
      expect(svg.text).to.match(/^<svg/);
    });

    it('prints a poster with the code, the channel name (escaped) and three steps in Chinese', async () => {
      const channel = (await create(t.desk!, { name: '活动<script>alert(1)</script>', kind: 'event' })).body;
      const res = await app.call('GET', `/api/channels/${channel.id}/poster`, { token: t.desk });
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      expect(res.text).to.contain('<svg').and.contain('&lt;script&gt;').and.not.contain('<script>alert');
      expect((res.text.match(/<li>/g) ?? []).length).to.equal(3);
      expect(res.text).to.match(/\/assets\/poster-[0-9a-f]{10}\.css/);
    });

    it('GET /api/channels/:id/poster?lang=en › prints the same poster in English, the channel name as written', async () => {
      const channel = (await create(t.desk!, { name: '冬季首贷进园区', kind: 'event' })).body;
      const res = await app.call('GET', `/api/channels/${channel.id}/poster?lang=en`, { token: t.desk });
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('<html lang="en">').and.contain('Scan the code above').and.contain('冬季首贷进园区');
      const outsideName = res.text.replace(/<svg[\s\S]*<\/svg>/, '').split('冬季首贷进园区').join('');
      expect(outsideName, 'no Chinese outside the channel name').not.to.match(/[\u3400-\u9fff]/);
      expectFieldErrors(await app.call('GET', `/api/channels/${channel.id}/poster?lang=fr`, { token: t.desk }), ['lang']);
    });
  });

  describe('GET /q/:code', () => {
    const scanCount = async (id: number) => (await app.call('GET', `/api/channels/${id}`, { token: t.desk })).body.scanCount as number;
    /** A real request to /q/CODE from this loopback address (127.0.0.x are all this machine), as another client would make it. */
    const scanFrom = (localAddress: string, code: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; location?: string }>((resolve, reject) => {
        http.get(`${app.baseUrl}/q/${code}`, { localAddress, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location }));
        }).on('error', reject);
      });

    it('sends the visitor to the application form with the channel, and counts the scan', async () => {
      const channel = (await create(t.desk!, { name: '端州区融资专窗', kind: 'desk' })).body;
      const res = await app.call('GET', `/q/${channel.code.toLowerCase()}`);
      expect(res.status).to.equal(302);
      expect(res.headers.get('location')).to.equal(`/apply?c=${channel.code}`);
      expect(await scanCount(channel.id)).to.equal(1);
    });

    it('GET /q/:code › when one client reloads the code 100 times › redirects every time and counts one scan', async () => {
      const channel = (await create(t.desk!, { name: '招商会现场', kind: 'event' })).body;
      const answers = [];
      for (let i = 0; i < 50; i++) answers.push(await scanFrom('127.0.0.1', channel.code));
      answers.push(...await Promise.all(Array.from({ length: 50 }, () => scanFrom('127.0.0.1', channel.code))));
      expect(answers.map((a) => a.status)).to.deep.equal(Array(100).fill(302));
      expect(new Set(answers.map((a) => a.location))).to.deep.equal(new Set([`/apply?c=${channel.code}`]));
      expect(await scanCount(channel.id)).to.equal(1);
    });

    it('GET /q/:code › when two clients scan › counts two, and a spoofed X-Forwarded-For makes no third', async () => {
      const channel = (await create(t.desk!, { name: '高新区园区服务站', kind: 'park' })).body;
      for (let i = 0; i < 10; i++) {
        await scanFrom('127.0.0.1', channel.code, { 'x-forwarded-for': `203.0.113.${i}` });
        await scanFrom('127.0.0.2', channel.code);
      }
      expect(await scanCount(channel.id)).to.equal(2);
    });

    it('GET /q/:code › when the same client scans again after 10 minutes › counts it again', async () => {
      const channel = (await create(t.desk!, { name: '乡镇服务中心', kind: 'town' })).body;
      await scanFrom('127.0.0.3', channel.code);
      app.clock.advance(9 * 60_000);
      await scanFrom('127.0.0.3', channel.code);
      expect(await scanCount(channel.id)).to.equal(1);
      app.clock.advance(60_000);
      await scanFrom('127.0.0.3', channel.code);
      await scanFrom('127.0.0.3', channel.code);
      expect(await scanCount(channel.id)).to.equal(2);
    });

    it('shows a friendly page with the desk phone for unknown, inactive and expired codes, without counting', async () => {
      const unknown = await app.call('GET', '/q/NOSUCHCODE1');
      expect(unknown.status).to.equal(404);
      expect(unknown.headers.get('content-type')).to.match(/text\/html/);
      expect(unknown.text).to.contain('没有找到这个二维码').and.contain('12345').and.contain('href="/apply"');

      const stopped = (await create(t.desk!, { name: '停用网点', kind: 'branch' })).body;
      await app.call('PATCH', `/api/channels/${stopped.id}`, { token: t.desk, body: { active: false } });
      expect((await app.call('GET', `/q/${stopped.code}`)).status).to.equal(410);
      const row = await app.call('GET', `/api/channels/${stopped.id}`, { token: t.desk });
      expect(row.body.scanCount).to.equal(0);

      const channel = (await create(t.desk!, { name: '过期活动', kind: 'event', expiresAt: new Date(Date.now() + 3_600_000).toISOString() })).body;
      app.clock.advance(2 * 3_600_000);
      const expired = await app.call('GET', `/q/${channel.code}`);
      expect(expired.status).to.equal(410);
      expect(expired.text).to.contain('已停用或已过期');
    });

    it('treats junk codes as unknown', async () => {
      expect((await app.call('GET', '/q/%3Cscript%3E')).status).to.equal(404);
    });
  });
});
