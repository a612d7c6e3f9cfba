import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migratedDataDir, prepareDataDirTemplate } from '../helpers/db';
import { runService, type RunningService } from '../helpers/process';

describe('staff authentication', () => {
  describe('the built service on a production start (dist/server.js, NODE_ENV=production)', function () {
    this.timeout(120_000);
    const running: RunningService[] = [];
    const dirs: string[] = [];
    before(async function () {
      this.timeout(300_000);
      await prepareDataDirTemplate();
    });
    afterEach(async () => {
      for (const s of running.splice(0)) await s.stop('SIGKILL');
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });

    async function start(env: Record<string, string>, o: { migrated?: boolean } = {}) {
      const dir = mkdtempSync(path.join(tmpdir(), 'rongma-prod-'));
      dirs.push(dir);
      if (o.migrated) await migratedDataDir(path.join(dir, 'data'));
      const s = await runService({ NODE_ENV: 'production', JWT_SECRET: 'production-secret-production-secret-0123', DATA_DIR: path.join(dir, 'data'), ...env });
      running.push(s);
      return s;
    }

    const post = async (base: string, p: string, body: unknown) => {
      const res = await fetch(base + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: await res.json().catch(() => undefined) };
    };

    it('GET /api/auth/demo-accounts › with SEED_ON_FIRST_START=true and an empty data directory › is 404, demo staff cannot sign in, the registry has its 25 banks', async () => {
      const s = await start({ SEED_ON_FIRST_START: 'true' });
      await s.ready(90_000);
      const demo = await fetch(`${s.baseUrl}/api/auth/demo-accounts`);
      expect(demo.status).to.equal(404);
      expect(demo.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect((await post(s.baseUrl, '/api/auth/login', { username: 'demo.desk', password: 'rongma-demo-2026' })).status).to.equal(401);
      const banksAnswer = await (await fetch(`${s.baseUrl}/api/banks`)).json();
      expect(banksAnswer.total).to.equal(25);
      // The only account is the bootstrap admin, and there is no demo activity.
      const password = /username: admin, password: (\w+)/.exec(s.output())?.[1];
      expect(password, s.output()).to.be.a('string');
      const admin = await post(s.baseUrl, '/api/auth/login', { username: 'admin', password });
      expect(admin.status).to.equal(200);
      const auth = { headers: { authorization: `Bearer ${admin.body.token}` } };
      const staff = await (await fetch(`${s.baseUrl}/api/users`, auth)).json();
      expect(staff.items.map((u: { username: string }) => u.username)).to.deep.equal(['admin']);
      const leads = await (await fetch(`${s.baseUrl}/api/leads`, auth)).json();
      expect(leads.total).to.equal(0);
    });

    it('BOOTSTRAP_ADMIN_PASSWORD › when it is trivial › refuses to start and says why', async () => {
      // The refusal comes after the database is opened and migrated; a migrated copy spares the child that work.
      const s = await start({ BOOTSTRAP_ADMIN_PASSWORD: 'aaaaaaaaaa' }, { migrated: true });
      const outcome = await Promise.race([s.exited, s.ready(110_000).then(() => 'it started', () => s.exited)]);
      expect(outcome, s.output()).to.equal(1);
      expect(s.output()).to.match(/BOOTSTRAP_ADMIN_PASSWORD/).and.match(/guess/i);
    });
  });
});
