import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createServerDatabase, serverTestUrl } from '../helpers/db';
import { runService, type RunningService } from '../helpers/process';

async function post(base: string, p: string, body: unknown, token?: string) {
  const res = await fetch(base + p, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

describe('the service process (dist/server.js, as npm start runs it)', function () {
  this.timeout(90_000);
  const running: RunningService[] = [];
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop('SIGKILL');
  });

  async function run(env: Record<string, string | undefined>) {
    const s = await runService(env);
    running.push(s);
    return s;
  }

  describe('with a bad setting', () => {
    it('stops at once with exit code 1 and says what to set', async () => {
      const s = await run({ PORT: 'abc', DATA_DIR: '/nonexistent' });
      expect(await s.exited).to.equal(1);
      expect(s.output()).to.match(/Invalid configuration:\n\s+- PORT: .*Set PORT to/);
    });

    it('requires JWT_SECRET in production', async () => {
      const s = await run({ NODE_ENV: 'production', DATA_DIR: '/nonexistent' });
      expect(await s.exited).to.equal(1);
      expect(s.output()).to.contain('JWT_SECRET');
    });
  });

  describe('on a fresh machine', () => {
    let dir: string;
    let env: Record<string, string | undefined>;
    let dropDb: (() => Promise<void>) | undefined;

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'rongma-proc-'));
      env = { DATA_DIR: path.join(dir, 'data') };
      const base = serverTestUrl();
      if (base) {
        const db = await createServerDatabase(base);
        env.DATABASE_URL = db.url;
        dropDb = db.drop;
      }
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await dropDb?.();
    });

    it('starts, creates the data directory and an admin, keeps data across a graceful restart', async () => {
      const first = await run(env);
      await first.ready();
      expect((await fetch(`${first.baseUrl}/healthz`)).status).to.equal(200);
      expect(existsSync(path.join(dir, 'data', 'jwt-secret'))).to.equal(true);
      if (!env.DATABASE_URL) expect(existsSync(path.join(dir, 'data', 'pgdata'))).to.equal(true);

      const announced = /username: admin, password: (\w+)/.exec(first.output());
      expect(announced, first.output()).to.not.equal(null);
      const login = await post(first.baseUrl, '/api/auth/login', { username: 'admin', password: announced![1] });
      expect(login.status).to.equal(200);
      const created = await post(first.baseUrl, '/api/users', { username: 'zhang.desk', password: 'desk-password-1', role: 'desk', name: '张' }, login.body.token);
      expect(created.status).to.equal(201);

      const banks = await (await fetch(`${first.baseUrl}/api/banks`)).json();
      expect(banks.total, 'the embedded default seeds the demo registry; a server is never seeded automatically').to.equal(env.DATABASE_URL ? 0 : 25);

      expect(await first.stop('SIGTERM')).to.equal(0);

      const second = await run(env);
      await second.ready();
      expect(second.output()).not.to.contain('created the admin account');
      expect(second.output()).not.to.contain('demo registry seeded');
      expect((await post(second.baseUrl, '/api/auth/login', { username: 'zhang.desk', password: 'desk-password-1' })).status).to.equal(200);
      const me = await fetch(`${second.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${login.body.token}` } });
      expect(me.status, 'a token survives the restart: the secret is kept in DATA_DIR').to.equal(200);
      expect(readFileSync(path.join(dir, 'data', 'jwt-secret'), 'utf8').length).to.be.greaterThan(40);
      expect(await second.stop('SIGINT')).to.equal(0);
    });

    it('uses BOOTSTRAP_ADMIN_PASSWORD for the first admin and never logs it', async () => {
      const own = mkdtempSync(path.join(tmpdir(), 'rongma-proc-'));
      const ownEnv: Record<string, string | undefined> = { DATA_DIR: path.join(own, 'data'), BOOTSTRAP_ADMIN_PASSWORD: 'bootstrap-secret-9', SEED_ON_FIRST_START: 'false' };
      let drop: (() => Promise<void>) | undefined;
      const base = serverTestUrl();
      if (base) {
        const db = await createServerDatabase(base);
        ownEnv.DATABASE_URL = db.url;
        drop = db.drop;
      }
      try {
        const s = await run(ownEnv);
        await s.ready();
        expect((await post(s.baseUrl, '/api/auth/login', { username: 'admin', password: 'bootstrap-secret-9' })).status).to.equal(200);
        expect(s.output()).not.to.contain('bootstrap-secret-9');
        expect((await (await fetch(`${s.baseUrl}/api/banks`)).json()).total, 'SEED_ON_FIRST_START=false').to.equal(0);
        expect(await s.stop()).to.equal(0);
      } finally {
        rmSync(own, { recursive: true, force: true });
        await drop?.();
      }
    });
  });

  const base = serverTestUrl();
  if (base) {
    describe('two instances starting together on one PostgreSQL database', () => {
      it('migrate once and both become ready', async () => {
        const db = await createServerDatabase(base);
        const dirs = [0, 1].map(() => mkdtempSync(path.join(tmpdir(), 'rongma-twin-')));
        try {
          const env = (d: string) => ({ DATABASE_URL: db.url, DATA_DIR: d, JWT_SECRET: 'twin-secret-twin-secret-twin-secret-xx', BOOTSTRAP_ADMIN_PASSWORD: 'twin-password-1' });
          const [a, b] = await Promise.all(dirs.map((d) => run(env(d))));
          await Promise.all([a!.ready(), b!.ready()]);
          const c = new pg.Client({ connectionString: db.url });
          await c.connect();
          const migrations = await c.query('select count(*)::int as n, count(distinct hash)::int as d from drizzle.__drizzle_migrations');
          const admins = await c.query(`select count(*)::int as n from users where role = 'admin'`);
          await c.end();
          expect(migrations.rows[0].n).to.equal(migrations.rows[0].d);
          expect(admins.rows[0].n).to.equal(1);
          await a!.stop();
          await b!.stop();
        } finally {
          for (const d of dirs) rmSync(d, { recursive: true, force: true });
          await db.drop();
        }
      });
    });
  }
});
