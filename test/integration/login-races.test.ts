import { expect } from 'chai';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { auditLog } from '../../models/audit';
import { users, type UserRow } from '../../models/users';
import { passwordChecksRun } from '../../server/domain/password';
import { startTestApp, type Reply, type TestApp } from '../helpers/app';
import { expectProblem } from '../helpers/expect';
import { buildUser, TEST_PASSWORD } from '../helpers/factories';

/**
 * Sign-in under attack: bursts of parallel attempts, unknown usernames, one address trying many names.
 * The app trusts the loopback proxy here, so each attempt can come "from" its own address and the
 * per-address limit stays out of the way unless a test is about it.
 */
describe('sign-in under attack', () => {
  let app: TestApp;
  let nextAddress = 0;

  before(async () => {
    app = await startTestApp({ config: { trustProxy: ['loopback'] } });
  });
  after(() => app.close());

  const freshAddress = () => {
    nextAddress++;
    return `10.${(nextAddress >> 16) & 255}.${(nextAddress >> 8) & 255}.${nextAddress & 255}`;
  };

  function attempt(username: string, password: string, from = freshAddress()): Promise<Reply> {
    return app.call('POST', '/api/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': from } });
  }

  async function lockAudits(user: UserRow) {
    return app.db.select().from(auditLog).where(and(eq(auditLog.action, 'auth.locked'), eq(auditLog.entityId, String(user.id))));
  }

  const statusCounts = (replies: Reply[]) => replies.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

  describe('POST /api/auth/login › when 29 wrong passwords and the right one arrive at once › locks the account', () => {
    it('checks at most 5 passwords, gives the right one no token, keeps the lock and writes one audit row', async () => {
      const user = await buildUser(app.db, { role: 'desk' });
      // The right password goes first: it is the attempt most likely to win a slot before the lock.
      const passwords = [TEST_PASSWORD, ...Array.from({ length: 29 }, (_, i) => `wrong-guess-${i}-zq`)];
      const checksBefore = passwordChecksRun();

      const replies = await Promise.all(passwords.map((p) => attempt(user.username, p)));

      expect(passwordChecksRun() - checksBefore, 'scrypt verifications performed').to.be.at.most(5);
      for (const r of replies) {
        expect([401, 423], r.text).to.include(r.status);
        expectProblem(r, r.status, r.status === 401 ? 'invalid_credentials' : 'account_locked');
      }
      expect(replies[0]!.body.token).to.equal(undefined);
      const [row] = await app.db.select().from(users).where(eq(users.id, user.id));
      expect(row!.lockedUntil!.getTime()).to.be.greaterThan(app.clock.now().getTime());
      expect(row!.failedLoginCount, 'attempts counted in flight').to.be.at.most(5);
      expect(await lockAudits(user)).to.have.length(1);
      expectProblem(await attempt(user.username, TEST_PASSWORD), 423, 'account_locked');
    });

    it('stays locked 15 minutes after the burst although the right password was in it', async () => {
      const user = await buildUser(app.db, { role: 'desk' });
      await Promise.all([TEST_PASSWORD, ...Array.from({ length: 29 }, (_, i) => `wrong-${i}-again-zq`)].map((p) => attempt(user.username, p)));
      app.clock.advance(14 * 60_000);
      expectProblem(await attempt(user.username, TEST_PASSWORD), 423, 'account_locked');
      app.clock.advance(60_000 + 1000);
      expect((await attempt(user.username, TEST_PASSWORD)).status).to.equal(200);
    });
  });

  describe('POST /api/auth/login › when 30 wrong passwords arrive at once for a known and for an unknown username › answers alike', () => {
    it('answers each with five 401 and twenty-five 423, after at most 5 password checks each', async () => {
      const user = await buildUser(app.db, { role: 'desk' });
      const wrong = Array.from({ length: 30 }, (_, i) => `burst-${i}-wrong-zq`);

      let checks = passwordChecksRun();
      const known = await Promise.all(wrong.map((p) => attempt(user.username, p)));
      const knownChecks = passwordChecksRun() - checks;
      checks = passwordChecksRun();
      const unknown = await Promise.all(wrong.map((p) => attempt('nobody.at.all', p)));
      const unknownChecks = passwordChecksRun() - checks;

      expect(statusCounts(known)).to.deep.equal({ 401: 5, 423: 25 });
      expect(statusCounts(unknown)).to.deep.equal(statusCounts(known));
      expect(knownChecks).to.equal(5);
      expect(unknownChecks, 'an unknown username costs the same scrypt work').to.equal(knownChecks);
      expect(await lockAudits(user)).to.have.length(1);
      const unknownLocks = await app.db.select().from(auditLog)
        .where(and(eq(auditLog.action, 'auth.locked'), isNull(auditLog.entityId), sql`${auditLog.after}->>'username' = 'nobody.at.all'`));
      expect(unknownLocks, 'one audit row for the unknown username\'s lock too').to.have.length(1);
      for (const r of unknown) expectProblem(r, r.status);
    });
  });

  describe('POST /api/auth/login › when a known and an unknown username are tried one at a time › answers alike', () => {
    it('answers the same status sequence, bodies and Retry-After: five 401, then 423', async () => {
      const user = await buildUser(app.db, { role: 'desk' });
      const run = async (username: string) => {
        const replies: Reply[] = [];
        const checks: number[] = [];
        for (let i = 0; i < 7; i++) {
          const before = passwordChecksRun();
          replies.push(await attempt(username, `one-by-one-${i}-zq`));
          checks.push(passwordChecksRun() - before);
        }
        return { replies, checks };
      };
      const known = await run(user.username);
      const unknown = await run('no.such.person');

      expect(known.replies.map((r) => r.status)).to.deep.equal([401, 401, 401, 401, 401, 423, 423]);
      expect(unknown.replies.map((r) => r.status)).to.deep.equal(known.replies.map((r) => r.status));
      expect(unknown.replies.map((r) => r.body)).to.deep.equal(known.replies.map((r) => r.body));
      expect(unknown.replies.map((r) => r.headers.get('retry-after'))).to.deep.equal(known.replies.map((r) => r.headers.get('retry-after')));
      expect(unknown.checks).to.deep.equal(known.checks);
      expect(known.checks).to.deep.equal([1, 1, 1, 1, 1, 0, 0]);
    });

    it('lets the unknown username be tried again once its 15 minutes are over, like a known one', async () => {
      for (let i = 0; i < 5; i++) await attempt('ghost.user', `ghost-${i}-wrong-zq`);
      expectProblem(await attempt('ghost.user', 'ghost-x-wrong-zq'), 423, 'account_locked');
      app.clock.advance(15 * 60_000 + 1000);
      expectProblem(await attempt('ghost.user', 'ghost-y-wrong-zq'), 401, 'invalid_credentials');
    });
  });

  describe('POST /api/auth/login › when a correct password follows four wrong ones › signs in', () => {
    it('answers 200 and does not lock on the next wrong one', async () => {
      const user = await buildUser(app.db, { role: 'desk' });
      for (let i = 0; i < 4; i++) expectProblem(await attempt(user.username, `typo-${i}-zq-pw`), 401);
      expect((await attempt(user.username, TEST_PASSWORD)).status).to.equal(200);
      const [row] = await app.db.select().from(users).where(eq(users.id, user.id));
      expect(row!.lockedUntil).to.equal(null);
      expect(row!.failedLoginCount, 'the success gave back only its own attempt').to.equal(4);
    });
  });

  describe('POST /api/auth/login › when one address keeps failing › answers 429', () => {
    it('refuses the address after 15 failures within an hour, without checking passwords, while others still sign in', async () => {
      const from = freshAddress();
      const user = await buildUser(app.db, { role: 'desk' });
      // A success does not use up the address's budget.
      for (let i = 0; i < 3; i++) expect((await attempt(user.username, TEST_PASSWORD, from)).status).to.equal(200);
      for (let i = 0; i < 15; i++) {
        const res = await attempt(`sprayed.${i}`, `spray-${i}-wrong-zq`, from);
        expectProblem(res, 401, 'invalid_credentials');
      }
      const before = passwordChecksRun();
      const refused = await attempt(user.username, TEST_PASSWORD, from);
      expectProblem(refused, 429, 'rate_limited');
      expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 3600);
      expect(passwordChecksRun() - before).to.equal(0);
      expect((await attempt(user.username, TEST_PASSWORD)).status, 'another address').to.equal(200);
      app.clock.advance(3600_000 + 1000);
      expect((await attempt(user.username, TEST_PASSWORD, from)).status, 'an hour later').to.equal(200);
    });

    it('counts a parallel burst from one address before any password is checked', async () => {
      const from = freshAddress();
      const before = passwordChecksRun();
      const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(`parallel.${i}`, `par-${i}-wrong-zq`, from)));
      expect(statusCounts(replies)).to.deep.equal({ 401: 15, 429: 25 });
      expect(passwordChecksRun() - before).to.equal(15);
      for (const r of replies) expectProblem(r, r.status);
    });
  });
});
