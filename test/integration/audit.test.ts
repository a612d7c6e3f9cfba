import { expect } from 'chai';
import { inArray, sql } from 'drizzle-orm';
import { auditLog } from '../../models/audit';
import type { BankRow } from '../../models/banks';
import type { UserRow } from '../../models/users';
import { startTestApp, type TestApp } from '../helpers/app';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBank, buildUser, tokenFor } from '../helpers/factories';
import { productBody } from '../helpers/products';

const OPS_TOKEN = 'ops-token-of-this-test-start-0123456789abcdef';

describe('audit trail', () => {
  let app: TestApp;
  let bank: BankRow;
  const t: Record<string, string> = {};
  let users: Record<string, UserRow>;

  before(async () => {
    app = await startTestApp({ config: { opsToken: OPS_TOKEN } });
    bank = await buildBank(app.db, { code: 'AUD', name: '审计银行', shortName: '审计行' });
    users = {
      admin: await buildUser(app.db, { role: 'admin' }),
      desk: await buildUser(app.db, { role: 'desk' }),
      bankAdmin: await buildUser(app.db, { role: 'bank_admin', bankId: bank.id }),
    };
    for (const [k, u] of Object.entries(users)) t[k] = await tokenFor(app, u);
  });
  after(() => app.close());

  /** Audit rows of these actions, straight from the table. */
  const rowsOf = (...actions: string[]) => app.db.select().from(auditLog).where(inArray(auditLog.action, actions));

  describe('GET /api/admin/audit', () => {
    let first: { id: number };
    let second: { id: number; updatedAt: string };
    /** When the audit log stamped the first creation, the second, and the publication (the database's own time). */
    let at: Date[];
    const pause = () => new Promise((resolve) => setTimeout(resolve, 30));
    const mid = (a: Date, b: Date) => new Date((a.getTime() + b.getTime()) / 2).toISOString();

    before(async () => {
      first = (await app.call('POST', '/api/products', { token: t.bankAdmin, body: productBody({ code: 'AUD-ONE' }) })).body;
      await pause();
      second = (await app.call('POST', '/api/products', { token: t.bankAdmin, body: productBody({ code: 'AUD-TWO' }) })).body;
      await pause();
      expect((await app.call('POST', `/api/products/${second.id}/publish`, { token: t.desk, body: { expectedUpdatedAt: second.updatedAt } })).status).to.equal(200);
      const rows = await rowsOf('product.create', 'product.publish');
      at = rows.sort((a, b) => a.id - b.id).map((r) => r.at);
    });

    it('GET /api/admin/audit › when an admin asks for one action › lists its rows newest first as {id, at, actorId, action, subject, detail}', async () => {
      const res = await app.call('GET', '/api/admin/audit?action=product.create', { token: t.admin });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ total: 2, page: 1, pageSize: 20 });
      expect(res.body.items.map((i: { subject: string }) => i.subject)).to.deep.equal([`product:${second.id}`, `product:${first.id}`]);
      const [item] = res.body.items;
      expect(item).to.have.all.keys('id', 'at', 'actorId', 'action', 'subject', 'detail');
      expect(item).to.include({ at: at[1]!.toISOString(), actorId: users.bankAdmin!.id, action: 'product.create' });
      expect(item.detail).to.include({ actorRole: 'bank_admin', bankId: bank.id });
      expect(item.detail.after).to.include({ code: 'AUD-TWO', status: 'draft' });
    });

    it('GET /api/admin/audit › when filtered by actor, by a prefix of actions and by time › keeps only the matching rows', async () => {
      const byDesk = await app.call('GET', `/api/admin/audit?actorId=${users.desk!.id}`, { token: t.admin });
      expect(byDesk.body.items.map((i: { action: string }) => i.action)).to.deep.equal(['product.publish', 'auth.login']);

      const products = await app.call('GET', '/api/admin/audit?action=product.*', { token: t.admin });
      expect(products.body.items.map((i: { action: string }) => i.action)).to.deep.equal(['product.publish', 'product.create', 'product.create']);

      const sinceSecond = await app.call('GET', `/api/admin/audit?action=product.*&from=${mid(at[0]!, at[1]!)}`, { token: t.admin });
      expect(sinceSecond.body.items.map((i: { action: string; subject: string }) => `${i.action} ${i.subject}`))
        .to.deep.equal([`product.publish product:${second.id}`, `product.create product:${second.id}`]);
      // from is inclusive: the second creation's own instant (to the millisecond) still finds it.
      const window = await app.call('GET', `/api/admin/audit?action=product.*&from=${at[1]!.toISOString()}&to=${mid(at[1]!, at[2]!)}`, { token: t.admin });
      expect(window.body.items.map((i: { subject: string }) => i.subject)).to.deep.equal([`product:${second.id}`]);
      const untilFirst = await app.call('GET', `/api/admin/audit?action=product.create&to=${mid(at[0]!, at[1]!)}`, { token: t.admin });
      expect(untilFirst.body.items.map((i: { subject: string }) => i.subject)).to.deep.equal([`product:${first.id}`]);
      const later = await app.call('GET', '/api/admin/audit?action=product.create&from=2099-01-01', { token: t.admin });
      expect(later.body).to.include({ total: 0 });
    });

    it('GET /api/admin/audit › when from and to are the same date › keeps the whole of that Shanghai day, to its last microsecond, and nothing of the next', async () => {
      const stamps = ['2026-11-30T15:59:59.999999Z', '2026-11-30T16:00:00Z', '2026-12-01T04:00:00Z', '2026-12-01T15:59:59.9995Z', '2026-12-01T16:00:00Z'];
      for (const [i, at] of stamps.entries()) await app.db.insert(auditLog).values({ action: 'probe.day', entity: 'probe', entityId: String(i), at: sql`${at}::timestamptz` });
      const day = await app.call('GET', '/api/admin/audit?action=probe.day&from=2026-12-01&to=2026-12-01', { token: t.admin });
      expect(day.status, day.text).to.equal(200);
      expect(day.body.items.map((i: { subject: string }) => i.subject)).to.deep.equal(['probe:3', 'probe:2', 'probe:1']);
      const until = await app.call('GET', '/api/admin/audit?action=probe.day&to=2026-11-30', { token: t.admin });
      expect(until.body.items.map((i: { subject: string }) => i.subject)).to.deep.equal(['probe:0']);
    });

    it('GET /api/admin/audit › when paged › answers one page and the total', async () => {
      const all = await app.call('GET', '/api/admin/audit?pageSize=200', { token: t.admin });
      expect(all.body.total).to.be.greaterThan(3);
      const page2 = await app.call('GET', '/api/admin/audit?page=2&pageSize=2', { token: t.admin });
      expect(page2.body).to.include({ total: all.body.total, page: 2, pageSize: 2 });
      expect(page2.body.items.map((i: { id: number }) => i.id)).to.deep.equal(all.body.items.slice(2, 4).map((i: { id: number }) => i.id));
    });

    it('GET /api/admin/audit › when the caller is not an admin › is 403 for the desk and a bank admin, 401 anonymous', async () => {
      expectProblem(await app.call('GET', '/api/admin/audit', { token: t.desk }), 403);
      expectProblem(await app.call('GET', '/api/admin/audit', { token: t.bankAdmin }), 403);
      expectProblem(await app.call('GET', '/api/admin/audit'), 401);
    });

    it('GET /api/admin/audit › when a filter is malformed › is 400 naming each field', async () => {
      expectFieldErrors(await app.call('GET', '/api/admin/audit?from=yesterday', { token: t.admin }), ['from']);
      expectFieldErrors(await app.call('GET', '/api/admin/audit?from=2026-02-30', { token: t.admin }), ['from']);
      expectFieldErrors(await app.call('GET', '/api/admin/audit?to=2101-01-01', { token: t.admin }), ['to']);
      expectFieldErrors(await app.call('GET', '/api/admin/audit?to=2026-13-45&actorId=x', { token: t.admin }), ['to', 'actorId']);
      expectFieldErrors(await app.call('GET', '/api/admin/audit?action=DROP%20TABLE', { token: t.admin }), ['action']);
      expectFieldErrors(await app.call('GET', '/api/admin/audit?from=2026-11-05&to=2026-11-04', { token: t.admin }), ['from']);
      expectFieldErrors(await app.call('GET', '/api/admin/audit?pageSize=1000', { token: t.admin }), ['pageSize']);
    });
  });

  describe('exports and copies of the database', () => {
    it('POST /api/products/import › when an admin imports a new product and a change, publishing both › writes an audit row per version written, as the form does, each with the client address', async () => {
      const current = (await app.call('GET', '/api/products/export?format=json')).body.items.find((r: { code: string }) => r.code === 'AUD-TWO');
      const before = (await app.db.select({ id: auditLog.id }).from(auditLog)).length;
      const rows = [{ ...current, code: 'AUD-IMP', status: 'published' }, { ...current, approvalDays: current.approvalDays + 1 }];
      const res = await app.call('POST', '/api/products/import?publish=true', { token: t.admin, body: { items: rows } });
      expect(res.body, res.text).to.deep.equal({ total: 2, created: 1, updated: 1, unchanged: 0 });
      const written = (await app.db.select().from(auditLog).orderBy(auditLog.id)).slice(before);
      expect(written.map((r) => r.action)).to.deep.equal(['product.create', 'product.publish', 'product.new_version', 'product.publish', 'product.import']);
      for (const r of written) expect(r.ip, r.action).to.match(/127\.0\.0\.1|::1/);
      const newVersion = written.find((r) => r.action === 'product.new_version')!;
      expect(newVersion.before).to.include({ status: 'published', approvalDays: current.approvalDays });
      expect(newVersion.after).to.include({ status: 'draft', approvalDays: current.approvalDays + 1 });
    });

    it('GET /api/admin/export.sql › when an admin downloads it › writes exactly one audit row naming the admin', async () => {
      const res = await app.call('GET', '/api/admin/export.sql', { token: t.admin });
      expect(res.status).to.equal(200);
      const rows = await rowsOf('database.export_sql');
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({ actorId: users.admin!.id, actorRole: 'admin', entity: 'database' });
      expect(rows[0]!.after).to.deep.equal({ via: 'admin' });
      // The row is written before the copy is read, so the copy holds it too.
      expect(res.text).to.contain("'database.export_sql'");
    });

    it('GET /api/admin/export.sql › when taken with the operations token › writes exactly one audit row of role ops', async () => {
      const before = (await rowsOf('database.export_sql')).length;
      const res = await app.call('GET', '/api/admin/export.sql', { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
      expect(res.status).to.equal(200);
      const rows = (await rowsOf('database.export_sql')).slice(before);
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({ actorId: null, actorRole: 'ops' });
      expect(rows[0]!.after).to.deep.equal({ via: 'ops_token' });
    });

    it('GET /api/admin/backup › when taken with an admin session and with the operations token › writes one audit row each (or, on a PostgreSQL server, refuses and writes none)', async () => {
      const byAdmin = await app.call('GET', '/api/admin/backup', { token: t.admin });
      const byOps = await app.call('GET', '/api/admin/backup', { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
      const rows = await rowsOf('database.backup');
      if (app.testDb.database.dumpDataDir) {
        expect([byAdmin.status, byOps.status]).to.deep.equal([200, 200]);
        expect(rows.map((r) => [r.actorId, r.actorRole, (r.after as { via: string }).via])).to.deep.equal([[users.admin!.id, 'admin', 'admin'], [null, 'ops', 'ops_token']]);
      } else {
        expectProblem(byAdmin, 409, 'not_embedded');
        expectProblem(byOps, 409, 'not_embedded');
        expect(rows).to.have.length(0);
      }
    });

    it('GET /api/admin/export.sql › when the caller is the desk or anonymous › is 403 / 401 and writes no audit row', async () => {
      const before = (await rowsOf('database.export_sql')).length;
      expectProblem(await app.call('GET', '/api/admin/export.sql', { token: t.desk }), 403);
      expectProblem(await app.call('GET', '/api/admin/export.sql', { headers: { authorization: 'Bearer not-the-ops-token' } }), 401);
      expect(await rowsOf('database.export_sql')).to.have.length(before);
    });

    it('GET /api/products/export › when staff export the catalogue › writes one audit row per download, and none for the public catalogue', async () => {
      expect((await app.call('GET', '/api/products/export?format=csv&status=draft', { token: t.bankAdmin })).status).to.equal(200);
      expect((await app.call('GET', '/api/products/export')).status).to.equal(200);
      const rows = await rowsOf('product.export');
      expect(rows.map((r) => [r.actorId, r.bankId, (r.after as { format: string; status: string }).format, (r.after as { status: string }).status])).to.have.deep.members([
        [users.bankAdmin!.id, bank.id, 'csv', 'draft'],
      ]);
      expect(rows.find((r) => r.actorId)!.after).to.include({ rows: 1 });
    });

    it('GET /api/reports/export.csv and .xlsx › when the desk exports the leads › writes one audit row per download with the range and format', async () => {
      for (const ext of ['csv', 'xlsx']) {
        const res = await app.call('GET', `/api/reports/export.${ext}?from=2026-01-01&to=2026-11-30`, { token: t.desk });
        expect(res.status, res.text).to.equal(200);
      }
      const rows = await rowsOf('report.export');
      expect(rows).to.have.length(2);
      for (const r of rows) expect(r).to.include({ actorId: users.desk!.id, entity: 'report', entityId: 'leads' });
      expect(rows.map((r) => r.after)).to.deep.equal([
        { from: '2026-01-01', to: '2026-11-30', format: 'csv', rows: 0 },
        { from: '2026-01-01', to: '2026-11-30', format: 'xlsx', rows: 0 },
      ]);
    });
  });
});
