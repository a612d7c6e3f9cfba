import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../models/audit';
import type { BankRow, BranchRow } from '../../models/banks';
import { users, type UserRow } from '../../models/users';
import { startTestApp, type TestApp } from '../helpers/app';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBank, buildBranch, buildUser, tokenFor, TEST_PASSWORD } from '../helpers/factories';

describe('users API', () => {
  let app: TestApp;
  let bankA: BankRow;
  let bankB: BankRow;
  let branchA: BranchRow;
  let branchB: BranchRow;
  let admin: UserRow;
  let deskUser: UserRow;
  let adminA: UserRow;
  let officerA: UserRow;
  let adminB: UserRow;
  let officerB: UserRow;
  const tokens: Record<string, string> = {};

  before(async () => {
    app = await startTestApp();
    bankA = await buildBank(app.db, { code: 'ABC' });
    bankB = await buildBank(app.db, { code: 'CCB' });
    branchA = await buildBranch(app.db, bankA.id);
    branchB = await buildBranch(app.db, bankB.id);
    admin = await buildUser(app.db, { role: 'admin' });
    deskUser = await buildUser(app.db, { role: 'desk' });
    adminA = await buildUser(app.db, { role: 'bank_admin', bankId: bankA.id });
    officerA = await buildUser(app.db, { role: 'bank_officer', bankId: bankA.id, branchId: branchA.id });
    adminB = await buildUser(app.db, { role: 'bank_admin', bankId: bankB.id });
    officerB = await buildUser(app.db, { role: 'bank_officer', bankId: bankB.id });
    for (const [k, u] of Object.entries({ admin, deskUser, adminA, officerA, adminB, officerB })) tokens[k] = await tokenFor(app, u);
  });
  after(() => app.close());

  describe('GET /api/users', () => {
    it('shows an admin every user, with paging and a total', async () => {
      const res = await app.call('GET', '/api/users?pageSize=2&page=1', { token: tokens.admin });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ total: 6, page: 1, pageSize: 2 });
      expect(res.body.items).to.have.length(2);
      expect(res.body.items[0]).not.to.have.any.keys('passwordHash', 'password_hash', 'tokenVersion');
    });

    it('shows a bank admin only the users of their own bank, even when asking for another bank', async () => {
      const res = await app.call('GET', `/api/users?bankId=${bankB.id}`, { token: tokens.adminA });
      expect(res.status).to.equal(200);
      expect(res.body.total).to.equal(0);
      const own = await app.call('GET', '/api/users', { token: tokens.adminA });
      expect(own.body.items.map((u: UserRow) => u.id)).to.have.members([adminA.id, officerA.id]);
    });

    it('is 403 for the desk and for officers', async () => {
      expectProblem(await app.call('GET', '/api/users', { token: tokens.deskUser }), 403, 'forbidden');
      expectProblem(await app.call('GET', '/api/users', { token: tokens.officerA }), 403, 'forbidden');
    });

    it('is 401 without a session', async () => {
      expectProblem(await app.call('GET', '/api/users'), 401);
    });

    it('names bad query fields', async () => {
      expectFieldErrors(await app.call('GET', '/api/users?page=0&pageSize=1000&role=king', { token: tokens.admin }), ['page', 'pageSize', 'role']);
    });
  });

  describe('GET /api/users/:id', () => {
    it('is 404 for a bank admin asking for another bank\'s user, the same body as for no user', async () => {
      const other = await app.call('GET', `/api/users/${officerB.id}`, { token: tokens.adminA });
      const missing = await app.call('GET', '/api/users/999999', { token: tokens.adminA });
      expectProblem(other, 404, 'user_not_found');
      expect(other.body).to.deep.equal(missing.body);
    });

    it('names a bad id', async () => {
      expectFieldErrors(await app.call('GET', '/api/users/abc', { token: tokens.admin }), ['id']);
    });
  });

  describe('POST /api/users', () => {
    it('lets an admin create a bank officer, and audits it', async () => {
      const res = await app.call('POST', '/api/users', {
        token: tokens.admin,
        body: { username: 'Li.Ming', password: 'long-enough-pw', role: 'bank_officer', bankId: bankA.id, branchId: branchA.id, name: '李明' },
      });
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ username: 'li.ming', role: 'bank_officer', bankId: bankA.id, branchId: branchA.id, name: '李明', active: true });
      expect(res.headers.get('location')).to.equal(`/api/users/${res.body.id}`);
      const audit = await app.db.select().from(auditLog).where(and(eq(auditLog.action, 'user.create'), eq(auditLog.entityId, String(res.body.id))));
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({ actorId: admin.id, bankId: bankA.id });
      expect(JSON.stringify(audit[0]!.after)).not.to.contain('long-enough-pw');
      expect((await app.call('POST', '/api/auth/login', { body: { username: 'li.ming', password: 'long-enough-pw' } })).status).to.equal(200);
    });

    it('puts a bank admin\'s new officer in their own bank whatever bankId is sent', async () => {
      const res = await app.call('POST', '/api/users', {
        token: tokens.adminA,
        body: { username: 'forged-bank', password: 'long-enough-pw', role: 'bank_officer', bankId: bankB.id },
      });
      expect(res.status).to.equal(201);
      expect(res.body.bankId).to.equal(bankA.id);
    });

    it('refuses a bank admin a branch of another bank', async () => {
      const res = await app.call('POST', '/api/users', {
        token: tokens.adminA,
        body: { username: 'cross-branch', password: 'long-enough-pw', role: 'bank_officer', branchId: branchB.id },
      });
      expectFieldErrors(res, ['branchId']);
    });

    it('is 403 when a bank admin tries to create an admin, desk or bank admin', async () => {
      for (const role of ['admin', 'desk', 'bank_admin']) {
        const res = await app.call('POST', '/api/users', { token: tokens.adminA, body: { username: `x-${role}`, password: 'long-enough-pw', role } });
        expectProblem(res, 403, 'role_not_allowed');
      }
    });

    it('is 403 for officers and the desk', async () => {
      const body = { username: 'nope-user', password: 'long-enough-pw', role: 'bank_officer', bankId: bankA.id };
      expectProblem(await app.call('POST', '/api/users', { token: tokens.officerA, body }), 403);
      expectProblem(await app.call('POST', '/api/users', { token: tokens.deskUser, body }), 403);
    });

    it('requires a bank for bank roles and refuses one for the desk', async () => {
      expectFieldErrors(await app.call('POST', '/api/users', { token: tokens.admin, body: { username: 'no-bank', password: 'long-enough-pw', role: 'bank_admin' } }), ['bankId']);
      expectFieldErrors(await app.call('POST', '/api/users', { token: tokens.admin, body: { username: 'desk-bank', password: 'long-enough-pw', role: 'desk', bankId: bankA.id } }), ['bankId']);
      expectFieldErrors(await app.call('POST', '/api/users', { token: tokens.admin, body: { username: 'ghost-bank', password: 'long-enough-pw', role: 'bank_admin', bankId: 424242 } }), ['bankId']);
    });

    it('is 409 for a taken username, in any case', async () => {
      const res = await app.call('POST', '/api/users', { token: tokens.admin, body: { username: officerA.username.toUpperCase(), password: 'long-enough-pw', role: 'desk' } });
      expectProblem(res, 409, 'username_taken');
    });

    describe('when the username belongs to another bank\'s user', () => {
      it('answers 409 without naming that user', async () => {
        const res = await app.call('POST', '/api/users', { token: tokens.adminA, body: { username: officerB.username, password: 'long-enough-pw', role: 'bank_officer' } });
        expectProblem(res, 409, 'username_taken');
        expect(res.body.detail).to.equal('This username is taken.');
        expect(res.text.toLowerCase()).not.to.contain(officerB.username);
      });
    });

    describe('when the password is trivial', () => {
      const cases: [string, string, RegExp][] = [
        ['ten times the same letter', 'aaaaaaaaaa', /repeat/i],
        ['a common password', 'password123', /common/i],
        ['the username itself', 'weak.user.name', /username/i],
      ];
      for (const [what, password, why] of cases) {
        it(`answers 400 on password for ${what}, saying why`, async () => {
          const res = await app.call('POST', '/api/users', { token: tokens.admin, body: { username: 'weak.user.name', password, role: 'desk' } });
          expectFieldErrors(res, ['password']);
          expect(res.body.errors[0].message).to.match(why);
          const [row] = await app.db.select().from(users).where(eq(users.username, 'weak.user.name'));
          expect(row).to.equal(undefined);
        });
      }

      it('answers 400 on password for a password built from the username', async () => {
        const res = await app.call('POST', '/api/users', { token: tokens.admin, body: { username: 'zhangwei88', password: 'zhangwei88!', role: 'desk' } });
        expectFieldErrors(res, ['password']);
      });
    });

    it('names every bad field at once', async () => {
      const res = await app.call('POST', '/api/users', { token: tokens.admin, body: { username: 'a b', password: 'short', role: 'root', bankId: -1 } });
      expectFieldErrors(res, ['username', 'password', 'role', 'bankId']);
    });
  });

  describe('PATCH /api/users/:id', () => {
    it('lets a bank admin rename and move their officer to a branch', async () => {
      const officer = await buildUser(app.db, { role: 'bank_officer', bankId: bankA.id });
      const res = await app.call('PATCH', `/api/users/${officer.id}`, { token: tokens.adminA, body: { name: '王芳', branchId: branchA.id } });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ name: '王芳', branchId: branchA.id, bankId: bankA.id });
    });

    it('is 404 when a bank admin edits another bank\'s user', async () => {
      const res = await app.call('PATCH', `/api/users/${officerB.id}`, { token: tokens.adminA, body: { active: false } });
      expectProblem(res, 404, 'user_not_found');
      const [still] = await app.db.select().from(users).where(eq(users.id, officerB.id));
      expect(still!.active).to.equal(true);
    });

    it('is 403 when a bank admin changes a role or edits another bank admin', async () => {
      const otherAdminA = await buildUser(app.db, { role: 'bank_admin', bankId: bankA.id });
      expectProblem(await app.call('PATCH', `/api/users/${otherAdminA.id}`, { token: tokens.adminA, body: { active: false } }), 403);
      expectProblem(await app.call('PATCH', `/api/users/${officerA.id}`, { token: tokens.adminA, body: { role: 'bank_admin' } }), 403);
    });

    it('ends the sessions of a user whose password changes', async () => {
      const officer = await buildUser(app.db, { role: 'bank_officer', bankId: bankA.id });
      const old = await tokenFor(app, officer);
      const res = await app.call('PATCH', `/api/users/${officer.id}`, { token: tokens.adminA, body: { password: 'brand-new-password' } });
      expect(res.status).to.equal(200);
      expectProblem(await app.call('GET', '/api/auth/me', { token: old }), 401);
      expect((await app.call('POST', '/api/auth/login', { body: { username: officer.username, password: 'brand-new-password' } })).status).to.equal(200);
    });

    describe('when the new password is trivial', () => {
      it('answers 400 on password and keeps the old one', async () => {
        const officer = await buildUser(app.db, { role: 'bank_officer', bankId: bankA.id });
        for (const password of ['aaaaaaaaaa', officer.username, 'qwertyuiop']) {
          const res = await app.call('PATCH', `/api/users/${officer.id}`, { token: tokens.adminA, body: { password } });
          expectFieldErrors(res, ['password']);
          expect(res.body.errors[0].message).to.match(/guess|username/i);
        }
        expect((await app.call('POST', '/api/auth/login', { body: { username: officer.username, password: TEST_PASSWORD } })).status).to.equal(200);
      });
    });

    it('will not let an admin deactivate themselves', async () => {
      expectProblem(await app.call('PATCH', `/api/users/${admin.id}`, { token: tokens.admin, body: { active: false } }), 409, 'cannot_demote_self');
    });

    it('lets an admin move a user between roles consistently', async () => {
      const user = await buildUser(app.db, { role: 'desk' });
      expectFieldErrors(await app.call('PATCH', `/api/users/${user.id}`, { token: tokens.admin, body: { role: 'bank_officer' } }), ['bankId']);
      const res = await app.call('PATCH', `/api/users/${user.id}`, { token: tokens.admin, body: { role: 'bank_officer', bankId: bankB.id } });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ role: 'bank_officer', bankId: bankB.id });
    });

    it('refuses an empty body', async () => {
      expectFieldErrors(await app.call('PATCH', `/api/users/${officerA.id}`, { token: tokens.admin, body: {} }), ['body']);
    });
  });
});
