import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { applications } from '../../models/applications';
import { slaMarks } from '../../models/jobs';
import { leads } from '../../models/leads';
import type { UserRow } from '../../models/users';
import { openDatabase } from '../../server/db';
import { jobs, runJob } from '../../server/jobs';
import { dailyDigest } from '../../server/jobs/daily-digest';
import { piiRetention } from '../../server/jobs/pii-retention';
import { slaCheck } from '../../server/jobs/sla-check';
import { createLogger } from '../../server/logger';
import { jobDeps, startTestApp, TestClock, type TestApp } from '../helpers/app';
import { sh } from '../helpers/time';
import { eligibleFor, hardwareMaker, need, requestAtBank } from '../helpers/applications';
import { serverTestUrl } from '../helpers/db';
import { expectProblem } from '../helpers/expect';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';

describe('scheduled jobs', function () {
  this.timeout(90_000);
  let app: TestApp;
  let bankA: number;
  let adminA: UserRow;
  let desk: UserRow;
  const deps = () => jobDeps(app);

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-06T10:00')) });
    bankA = (await buildLendingBank(app.db)).id;
    adminA = await buildUser(app.db, { role: 'bank_admin', bankId: bankA });
    desk = await buildUser(app.db, { role: 'desk' });
  });
  after(() => app.close());

  async function leadAtA(at: string): Promise<number> {
    app.clock.set(sh(at));
    return (await requestAtBank(app, bankA)).leadId;
  }
  const unreadOf = async (user: UserRow) => (await app.call('GET', '/api/notifications', { token: await tokenFor(app, user) })).body.unread as number;

  describe('sla-check', () => {
    it('warns, marks overdue and hands back to the desk, each exactly once, on the working-day clock', async () => {
      const id = await leadAtA('2026-03-06T10:00'); // Friday: accept by Monday 10:00, back to the desk by Wednesday 10:00
      const at = async (local: string) => {
        app.clock.set(sh(local));
        return slaCheck.run(deps());
      };
      expect((await at('2026-03-07T12:00')).warned, 'Saturday is no working time').to.equal(0);
      expect(await at('2026-03-09T07:59')).to.deep.include({ warned: 0, overdue: 0 });
      expect((await at('2026-03-09T08:30')).warned).to.be.at.least(1);
      expect((await at('2026-03-09T08:45')).warned).to.equal(0);
      const adminUnread = await unreadOf(adminA);
      expect(adminUnread).to.be.at.least(1);
      expect((await at('2026-03-09T10:01')).overdue).to.be.at.least(1);
      expect((await at('2026-03-09T11:00')).overdue).to.equal(0);
      expect(await unreadOf(desk)).to.be.at.least(1);
      expect((await at('2026-03-11T10:01')).escalated).to.be.at.least(1);
      expect((await at('2026-03-11T12:00')).escalated).to.equal(0);
      const [lead] = await app.db.select().from(leads).where(eq(leads.id, id));
      expect(lead!.escalatedAt).to.deep.equal(sh('2026-03-11T10:01'));
      const marks = (await app.db.select().from(slaMarks).where(eq(slaMarks.leadId, id))).map((m) => m.kind).sort();
      expect(marks).to.deep.equal(['escalated', 'overdue_accept', 'warn_accept']);
    });

    it('leaves an accepted lead alone for acceptance, and watches its contact deadline instead', async () => {
      const id = await leadAtA('2026-03-16T10:00');
      await app.call('POST', `/api/leads/${id}/claim`, { token: await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: bankA })) });
      app.clock.set(sh('2026-03-18T10:30')); // past acceptance, before contact (Thu 19 Mar 10:00)
      await slaCheck.run(deps());
      const marks = (await app.db.select().from(slaMarks).where(eq(slaMarks.leadId, id))).map((m) => m.kind);
      expect(marks).to.deep.equal([]);
    });
  });

  describe('runJob and the admin API', () => {
    it('records each run, lists jobs with last and next runs, runs one now, only for admins', async () => {
      const result = await runJob(deps(), slaCheck, 'manual');
      expect(result.outcome).to.equal('ok');
      const admin = await tokenFor(app, await buildUser(app.db, { role: 'admin' }));
      const listed = await app.call('GET', '/api/admin/jobs', { token: admin });
      expect(listed.body.items.map((j: { name: string }) => j.name)).to.deep.equal(jobs.map((j) => j.name));
      const sla = listed.body.items.find((j: { name: string }) => j.name === 'sla-check');
      expect(sla.lastRun).to.include({ outcome: 'ok', trigger: 'manual' });
      expect(new Date(sla.nextRun).getTime()).to.be.greaterThan(Date.now() - 60_000);
      const ran = await app.call('POST', '/api/admin/jobs/daily-digest/run', { token: admin });
      expect(ran.body).to.include({ job: 'daily-digest', outcome: 'ok' });
      expectProblem(await app.call('POST', '/api/admin/jobs/no-such-job/run', { token: admin }), 404, 'job_not_found');
      expectProblem(await app.call('GET', '/api/admin/jobs', { token: await tokenFor(app, desk) }), 403);
    });

    it('skips a run while another holds the job\'s lock', async () => {
      // Wait until the first holder is inside its lock before trying again: on PostgreSQL both calls
      // race for a connection, and the second must not be the one that wins.
      let release!: () => void;
      let entered!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      const held = app.testDb.database.withLock(1, () => {
        entered();
        return new Promise<void>((r) => (release = r));
      });
      await inside;
      try {
        const other = await app.testDb.database.withLock(1, async () => 'ran');
        expect(other.ran).to.equal(false);
      } finally {
        release();
        await held;
      }
      expect((await app.testDb.database.withLock(1, async () => 'ran')).ran).to.equal(true);
    });
  });

  describe('notifications', () => {
    it('lists a user\'s own, counts unread, marks one and all read, and 404s another\'s', async () => {
      const token = await tokenFor(app, adminA);
      const list = await app.call('GET', '/api/notifications', { token });
      expect(list.body.items.length).to.be.greaterThan(0);
      const first = list.body.items[0];
      expect((await app.call('POST', `/api/notifications/${first.id}/read`, { token })).body.readAt).to.be.a('string');
      expectProblem(await app.call('POST', `/api/notifications/${first.id}/read`, { token: await tokenFor(app, desk) }), 404, 'notification_not_found');
      await app.call('POST', '/api/notifications/read-all', { token });
      expect((await app.call('GET', '/api/notifications', { token })).body.unread).to.equal(0);
    });
  });

  describe('daily-digest and pii-retention', () => {
    it('sends the digest on working days only', async () => {
      app.clock.set(sh('2026-03-14T08:30')); // Saturday
      expect(await dailyDigest.run(deps())).to.deep.equal({ skipped: 1, banks: 0 });
      app.clock.set(sh('2026-03-16T08:30'));
      expect((await dailyDigest.run(deps())).banks).to.be.at.least(1);
    });

    it('anonymises the contact of requests closed over 180 days ago, keeping everything statistics need', async () => {
      const id = await leadAtA('2026-04-01T10:00');
      const [lead] = await app.db.select().from(leads).where(eq(leads.id, id));
      const tracking = (await app.db.select().from(applications).where(eq(applications.id, lead!.applicationId)))[0]!.trackingToken;
      await app.call('POST', `/api/applications/track/${tracking}/withdraw`, { body: {} });
      app.clock.set(sh('2026-09-01T02:00'));
      expect((await piiRetention.run(deps())).anonymised).to.equal(0);
      app.clock.set(sh('2026-10-05T02:00'));
      expect((await piiRetention.run(deps())).anonymised).to.be.at.least(1);
      const [a] = await app.db.select().from(applications).where(eq(applications.id, lead!.applicationId));
      expect(a).to.include({ contactName: '（已匿名）', contactPhone: '' });
      expect(a!.needAmount).to.equal(need.amount);
      const [still] = await app.db.select().from(leads).where(eq(leads.id, id));
      expect(still!.status).to.equal('withdrawn');
      expect((await piiRetention.run(deps())).anonymised).to.equal(0);
    });
  });
});

const base = serverTestUrl();
if (base) {
  describe('sla-check on two instances at once (PostgreSQL)', function () {
    this.timeout(60_000);
    it('escalates each lead exactly once', async () => {
      const app = await startTestApp({ clock: new TestClock(sh('2026-03-06T10:00')) });
      try {
        const bankId = (await buildLendingBank(app.db)).id;
        const consent = (await app.call('GET', '/api/applications/consent')).body;
        for (let i = 0; i < 5; i++) {
          const company = hardwareMaker();
          const product = (await eligibleFor(app, company)).find((p) => p.bankId === bankId)!;
          await app.call('POST', '/api/applications', { body: { company, contact: { name: '梁伟', phone: '13812345678' }, need, mode: 'chosen', productIds: [product.id], consent: { version: consent.version, banks: [bankId] } } });
        }
        const second = await openDatabase({ databaseUrl: app.testDb.url!, poolSize: 3 });
        try {
          app.clock.set(sh('2026-03-11T10:30'));
          const one = { db: app.db, clock: app.clock, logger: createLogger('silent'), config: app.config };
          const two = { ...one, db: second.db };
          // The job's own rule, without the advisory lock: both really run at the same moment.
          const [a, b] = await Promise.all([slaCheck.run(one), slaCheck.run(two)]);
          expect(a.escalated! + b.escalated!).to.equal(5);
          const escalated = await app.db.select().from(slaMarks).where(eq(slaMarks.kind, 'escalated'));
          expect(escalated).to.have.length(5);
          // And through runJob, the lock lets one run in and skips the other.
          const [x, y] = await Promise.all([runJob({ ...one, database: app.testDb.database }, slaCheck, 'scheduled'), runJob({ ...two, database: second }, slaCheck, 'scheduled')]);
          expect([x.outcome, y.outcome].filter((o) => o === 'ok').length).to.be.at.least(1);
        } finally {
          await second.close();
        }
      } finally {
        await app.close();
      }
    });
  });
}
