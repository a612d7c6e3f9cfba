import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import jwt from 'jsonwebtoken';
import { auditLog } from '../../models/audit';
import { banks } from '../../models/banks';
import { TEST_JWT_SECRET, startTestApp, type TestApp } from '../helpers/app';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBank, buildUser, tokenFor, TEST_PASSWORD } from '../helpers/factories';
import type { UserRow } from '../../models/users';

describe('staff authentication', () => {
  let app: TestApp;
  let desk: UserRow;

  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());
  beforeEach(async () => {
    desk = await buildUser(app.db, { role: 'desk', name: '专窗甲' });
  });

  describe('POST /api/auth/login', () => {
    it('answers a token and the user, and sets an HttpOnly SameSite=Strict cookie', async () => {
      const res = await app.call('POST', '/api/auth/login', { body: { username: desk.username, password: TEST_PASSWORD } });
      expect(res.status).to.equal(200);
      expect(res.body.user).to.deep.equal({ id: desk.id, username: desk.username, role: 'desk', bankId: null, branchId: null, name: '专窗甲' });
      const header = jwt.decode(res.body.token, { complete: true })!.header;
      expect(header.alg).to.equal('HS256');
      const claims = jwt.decode(res.body.token) as jwt.JwtPayload;
      expect(claims.exp! - claims.iat!).to.be.at.most(3600);
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).to.match(/^rongma_session=/);
      expect(cookie).to.match(/HttpOnly/i).and.match(/SameSite=Strict/i).and.match(/Path=\//);
    });

    it('accepts the username in any case', async () => {
      const res = await app.call('POST', '/api/auth/login', { body: { username: desk.username.toUpperCase(), password: TEST_PASSWORD } });
      expect(res.status).to.equal(200);
    });

    it('answers a wrong password and an unknown user with the same 401', async () => {
      const wrong = await app.call('POST', '/api/auth/login', { body: { username: desk.username, password: 'nope-nope-nope' } });
      const unknown = await app.call('POST', '/api/auth/login', { body: { username: 'nobody-here', password: 'nope-nope-nope' } });
      expectProblem(wrong, 401, 'invalid_credentials');
      expect(unknown.body).to.deep.equal(wrong.body);
    });

    it('refuses a deactivated account with the same 401', async () => {
      const gone = await buildUser(app.db, { role: 'desk', active: false });
      const res = await app.call('POST', '/api/auth/login', { body: { username: gone.username, password: TEST_PASSWORD } });
      expectProblem(res, 401, 'invalid_credentials');
    });

    it('names each missing field', async () => {
      expectFieldErrors(await app.call('POST', '/api/auth/login', { body: {} }), ['username', 'password']);
      expectFieldErrors(await app.call('POST', '/api/auth/login', { body: { username: 5, password: [] } }), ['username', 'password']);
      expectFieldErrors(await app.call('POST', '/api/auth/login'), ['body']);
    });

    it('audits the socket address, not an X-Forwarded-For nobody is trusted to send', async () => {
      const res = await app.call('POST', '/api/auth/login', { body: { username: desk.username, password: TEST_PASSWORD }, headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(res.status).to.equal(200);
      const [row] = await app.db.select().from(auditLog).where(and(eq(auditLog.action, 'auth.login'), eq(auditLog.entityId, String(desk.id))));
      expect(row!.ip).to.match(/127\.0\.0\.1$/);
    });

    describe('when the session cookie cannot be decoded (rongma_session=%zz)', () => {
      it('signs in as if there were no cookie', async () => {
        const res = await app.call('POST', '/api/auth/login', { body: { username: desk.username, password: TEST_PASSWORD }, headers: { cookie: 'rongma_session=%zz' } });
        expect(res.status, res.text).to.equal(200);
        expect(res.body.token).to.be.a('string');
      });
    });

    describe('when the user\'s bank is inactive', () => {
      it('refuses the right password with the same 401 as a wrong one', async () => {
        const bank = await buildBank(app.db, { active: false });
        const officer = await buildUser(app.db, { role: 'bank_officer', bankId: bank.id });
        const res = await app.call('POST', '/api/auth/login', { body: { username: officer.username, password: TEST_PASSWORD } });
        expectProblem(res, 401, 'invalid_credentials');
        expect(res.body.token).to.equal(undefined);
      });
    });

    describe('after five wrong passwords within 15 minutes', () => {
      // Each test starts with a fresh per-address budget (it is counted per hour).
      beforeEach(() => app.clock.advance(3600_000 + 1000));

      async function failFiveTimes(user: UserRow) {
        for (let i = 0; i < 5; i++) {
          const res = await app.call('POST', '/api/auth/login', { body: { username: user.username, password: `wrong-${i}-wrong` } });
          expectProblem(res, 401, 'invalid_credentials');
          app.clock.advance(60_000);
        }
      }

      it('locks the account for 15 minutes, even against the right password, then unlocks', async () => {
        const user = await buildUser(app.db, { role: 'desk' });
        await failFiveTimes(user);
        const locked = await app.call('POST', '/api/auth/login', { body: { username: user.username, password: TEST_PASSWORD } });
        expectProblem(locked, 423, 'account_locked');
        const retryAfter = Number(locked.headers.get('retry-after'));
        expect(retryAfter).to.be.within(10 * 60, 15 * 60);
        expect(locked.body.lockedUntil).to.be.a('string');

        app.clock.advance(retryAfter * 1000 - 2000);
        expectProblem(await app.call('POST', '/api/auth/login', { body: { username: user.username, password: TEST_PASSWORD } }), 423);
        app.clock.advance(3000);
        expect((await app.call('POST', '/api/auth/login', { body: { username: user.username, password: TEST_PASSWORD } })).status).to.equal(200);
      });

      it('does not lock when the failures are spread over more than 15 minutes', async () => {
        const user = await buildUser(app.db, { role: 'desk' });
        for (let i = 0; i < 4; i++) {
          await app.call('POST', '/api/auth/login', { body: { username: user.username, password: 'wrong-wrong-1' } });
        }
        app.clock.advance(16 * 60_000);
        await app.call('POST', '/api/auth/login', { body: { username: user.username, password: 'wrong-wrong-1' } });
        const res = await app.call('POST', '/api/auth/login', { body: { username: user.username, password: TEST_PASSWORD } });
        expect(res.status).to.equal(200);
      });

      it('counts concurrent wrong attempts without losing any', async () => {
        const user = await buildUser(app.db, { role: 'desk' });
        await Promise.all(Array.from({ length: 5 }, () =>
          app.call('POST', '/api/auth/login', { body: { username: user.username, password: 'wrong-wrong-2' } })));
        expectProblem(await app.call('POST', '/api/auth/login', { body: { username: user.username, password: TEST_PASSWORD } }), 423);
      });

      it('can be unlocked at once by an administrator', async () => {
        const user = await buildUser(app.db, { role: 'desk' });
        await failFiveTimes(user);
        const admin = await buildUser(app.db, { role: 'admin' });
        const unlock = await app.call('PATCH', `/api/users/${user.id}`, { token: await tokenFor(app, admin), body: { unlock: true } });
        expect(unlock.status).to.equal(200);
        expect(unlock.body.lockedUntil).to.equal(null);
        expect((await app.call('POST', '/api/auth/login', { body: { username: user.username, password: TEST_PASSWORD } })).status).to.equal(200);
      });
    });
  });

  describe('GET /api/auth/me', () => {
    it('answers the user for a bearer token', async () => {
      const res = await app.call('GET', '/api/auth/me', { token: await tokenFor(app, desk) });
      expect(res.status).to.equal(200);
      expect(res.body.user).to.include({ id: desk.id, role: 'desk' });
    });

    it('answers the user for the session cookie alone', async () => {
      const login = await app.call('POST', '/api/auth/login', { body: { username: desk.username, password: TEST_PASSWORD } });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const res = await app.call('GET', '/api/auth/me', { headers: { cookie } });
      expect(res.status).to.equal(200);
    });

    it('is 401 without a token', async () => {
      expectProblem(await app.call('GET', '/api/auth/me'), 401, 'unauthorized');
    });

    describe('with a forged or stale token', () => {
      let good: string;
      beforeEach(async () => {
        good = await tokenFor(app, desk);
      });

      const cases: [string, () => string][] = [
        ['a tampered payload', () => {
          const [h, , s] = good.split('.');
          const payload = Buffer.from(JSON.stringify({ sub: '1', role: 'admin', ver: 0, iss: 'rongma', iat: 1, exp: 9999999999 })).toString('base64url');
          return `${h}.${payload}.${s}`;
        }],
        ['an alg:none token', () => {
          const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
          const payload = Buffer.from(JSON.stringify({ sub: String(desk.id), role: 'desk', ver: 0, iss: 'rongma', iat: Math.floor(Date.now() / 1000), exp: 9999999999 })).toString('base64url');
          return `${header}.${payload}.`;
        }],
        ['a token signed with another secret', () => jwt.sign({ sub: String(desk.id), role: 'desk', ver: 0 }, 'another-secret-another-secret-another', { algorithm: 'HS256', issuer: 'rongma', expiresIn: 600 })],
        ['an HS512 token with our secret (algorithm not pinned)', () => jwt.sign({ sub: String(desk.id), role: 'desk', ver: 0 }, TEST_JWT_SECRET, { algorithm: 'HS512', issuer: 'rongma', expiresIn: 600 })],
        ['a token of another issuer', () => jwt.sign({ sub: String(desk.id), role: 'desk', ver: 0 }, TEST_JWT_SECRET, { algorithm: 'HS256', issuer: 'elsewhere', expiresIn: 600 })],
        ['a token without exp (jsonwebtoken accepts one unless told)', () => jwt.sign({ sub: String(desk.id), role: 'desk', ver: 0 }, TEST_JWT_SECRET, { algorithm: 'HS256', issuer: 'rongma' })],
        ['garbage', () => 'not-a-jwt'],
      ];
      for (const [name, make] of cases) {
        it(`is 401 for ${name}`, async () => {
          expectProblem(await app.call('GET', '/api/auth/me', { token: make() }), 401);
        });
      }

      it('is 401 for a malformed Authorization header even with a valid cookie', async () => {
        expectProblem(await app.call('GET', '/api/auth/me', { headers: { authorization: 'Basic abc', cookie: `rongma_session=${good}` } }), 401);
      });

      it('is 401 once the token has expired', async () => {
        app.clock.advance(3600_000 + 1000);
        expectProblem(await app.call('GET', '/api/auth/me', { token: good }), 401, 'invalid_token');
      });

      it('is 401 after logout', async () => {
        const out = await app.call('POST', '/api/auth/logout', { token: good });
        expect(out.status).to.equal(204);
        expect(out.headers.get('set-cookie')).to.match(/rongma_session=;/);
        expectProblem(await app.call('GET', '/api/auth/me', { token: good }), 401);
      });

      it('is 401 once the user\'s bank is deactivated', async () => {
        const bank = await buildBank(app.db);
        const officer = await buildUser(app.db, { role: 'bank_officer', bankId: bank.id });
        const token = await tokenFor(app, officer);
        expect((await app.call('GET', '/api/auth/me', { token })).status).to.equal(200);
        await app.db.update(banks).set({ active: false }).where(eq(banks.id, bank.id));
        expectProblem(await app.call('GET', '/api/auth/me', { token }), 401, 'invalid_token');
      });

      it('is 401 once the account is deactivated', async () => {
        const admin = await buildUser(app.db, { role: 'admin' });
        await app.call('PATCH', `/api/users/${desk.id}`, { token: await tokenFor(app, admin), body: { active: false } });
        expectProblem(await app.call('GET', '/api/auth/me', { token: good }), 401);
      });
    });
  });

  describe('GET /api/products › when the session cookie cannot be decoded (rongma_session=%zz) › reads as anonymous', () => {
    it('answers the public catalogue with 200', async () => {
      const res = await app.call('GET', '/api/products', { headers: { cookie: 'rongma_session=%zz; other=1' } });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include.keys('items', 'total');
    });
  });

  describe('POST /api/auth/logout', () => {
    it('answers 204 without a session too', async () => {
      expect((await app.call('POST', '/api/auth/logout')).status).to.equal(204);
    });
  });

  describe('bank users', () => {
    it('carry their bank and branch in the login answer', async () => {
      const bank = await buildBank(app.db);
      const officer = await buildUser(app.db, { role: 'bank_officer', bankId: bank.id });
      const res = await app.call('POST', '/api/auth/login', { body: { username: officer.username, password: TEST_PASSWORD } });
      expect(res.body.user).to.include({ role: 'bank_officer', bankId: bank.id, branchId: null });
    });
  });
});
