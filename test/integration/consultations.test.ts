import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { auditLog } from '../../models/audit';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { chosenBody, uscc } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

const HOUR = 3_600_000;

describe('consultations (咨询台账)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let desk: string;
  let otherDesk: string;
  let officer: string;
  let bankAdmin: string;
  let admin: string;
  let users: Awaited<ReturnType<typeof buildUser>>[];
  /** Sessions are short-lived and the test clock jumps days: sign everyone in again at the new time. */
  async function signIn() {
    [desk, otherDesk, officer, bankAdmin, admin] = await Promise.all(users.map((u) => tokenFor(app, u))) as [string, string, string, string, string];
  }

  const body = (over: Record<string, unknown> = {}) => ({
    uscc: uscc(), companyName: '肇庆市高要区金利五金制品有限公司', contactName: '李明', phone: '13800138000', channel: 'walk_in',
    topics: ['首贷'], outcome: 'informed', ...over,
  });

  before(async () => {
    // Monday 2026-03-02 09:00 Shanghai.
    app = await startTestApp({ clock: new TestClock(sh('2026-03-02T09:00')) });
    const bank = await buildLendingBank(app.db);
    users = [
      await buildUser(app.db, { role: 'desk', name: '窗口甲' }), await buildUser(app.db, { role: 'desk' }),
      await buildUser(app.db, { role: 'bank_officer', bankId: bank.id }), await buildUser(app.db, { role: 'bank_admin', bankId: bank.id }),
      await buildUser(app.db, { role: 'admin' }),
    ];
    await signIn();
  });
  after(() => app.close());

  describe('POST /api/consultations', () => {
    it('POST /api/consultations › when the desk records a walk-in › returns 201, the row masked, and audits it', async () => {
      const res = await app.call('POST', '/api/consultations', { token: desk, body: body({ note: '问首贷材料' }) });
      expect(res.status, res.text).to.equal(201);
      expect(res.body).to.include({ channel: 'walk_in', outcome: 'informed', phone: '138****8000', note: '问首贷材料' });
      expect(res.body.recordedBy.id).to.be.a('number');
      const audit = await app.db.select().from(auditLog).where(eq(auditLog.action, 'consultation.create'));
      expect(audit.map((a) => a.entityId)).to.include(String(res.body.id));
      expect(JSON.stringify(audit)).not.to.include('13800138000');
    });

    it('POST /api/consultations › when fields are wrong › returns 400 naming each field', async () => {
      const bad = body({ uscc: '91441204MA4W1234X1', phone: '12345', channel: 'fax', topics: [], outcome: 'maybe', companyName: '' });
      expectFieldErrors(await app.call('POST', '/api/consultations', { token: desk, body: bad }), ['uscc', 'phone', 'channel', 'topics', 'outcome', 'companyName']);
    });

    it('POST /api/consultations › when a product discussed does not exist › returns 400 naming it', async () => {
      expectFieldErrors(await app.call('POST', '/api/consultations', { token: desk, body: body({ productIds: [1, 999999] }) }), ['productIds.1']);
    });

    it('POST /api/consultations › when a NUL hides in the note › returns 400 naming note', async () => {
      expectFieldErrors(await app.call('POST', '/api/consultations', { token: desk, body: body({ note: 'a\u0000b' }) }), ['note']);
    });

    it('POST /api/consultations › when a bank user or an admin records › returns 403', async () => {
      for (const token of [officer, bankAdmin, admin]) expectProblem(await app.call('POST', '/api/consultations', { token, body: body() }), 403, 'forbidden');
    });

    it('POST /api/consultations › without a session › returns 401', async () => {
      expectProblem(await app.call('POST', '/api/consultations', { body: body() }), 401);
    });
  });

  describe('GET /api/consultations', () => {
    let marker: string;
    before(async () => {
      marker = uscc();
      // Tuesday 3 March, then the next week's Monday 9 March and Thursday 12 March (Shanghai).
      app.clock.set(sh('2026-03-03T10:00'));
      await signIn();
      await app.call('POST', '/api/consultations', { token: desk, body: body({ uscc: marker, companyName: '端州区星河餐饮有限公司', outcome: 'coaching', note: '=HYPERLINK("http://evil")' }) });
      app.clock.set(sh('2026-03-09T00:30'));
      await signIn();
      await app.call('POST', '/api/consultations', { token: desk, body: body({ outcome: 'applied', channel: 'phone' }) });
      app.clock.set(sh('2026-03-12T16:00'));
      await signIn();
      await app.call('POST', '/api/consultations', { token: otherDesk, body: body({ outcome: 'applied', companyName: '四会市玉器 50%_商行' }) });
      app.clock.advance(HOUR);
      await signIn();
    });

    it('GET /api/consultations › when another desk user reads › sees every row, newest first, paged', async () => {
      const res = await app.call('GET', '/api/consultations?pageSize=2', { token: otherDesk });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ page: 1, pageSize: 2 });
      expect(res.body.total).to.be.at.least(4);
      expect(res.body.items).to.have.length(2);
      expect(res.body.items[0].companyName).to.equal('四会市玉器 50%_商行');
    });

    it('GET /api/consultations › when filtered by days, outcome and a search › answers only the matching rows', async () => {
      const week2 = await app.call('GET', '/api/consultations?from=2026-03-09&to=2026-03-15&outcome=applied', { token: desk });
      expect(week2.body.total).to.equal(2);
      const byUscc = await app.call('GET', `/api/consultations?q=${marker}`, { token: desk });
      expect(byUscc.body.items.map((i: { uscc: string }) => i.uscc)).to.deep.equal([marker]);
      const literal = await app.call('GET', `/api/consultations?q=${encodeURIComponent('50%_')}`, { token: desk });
      expect(literal.body.total).to.equal(1);
      const wild = await app.call('GET', `/api/consultations?q=${encodeURIComponent('%')}`, { token: desk });
      expect(wild.body.total).to.equal(1);
    });

    it('GET /api/consultations › when from is after to, or a day does not exist › returns 400 naming the field', async () => {
      expectFieldErrors(await app.call('GET', '/api/consultations?from=2026-03-10&to=2026-03-01', { token: desk }), ['from']);
      expectFieldErrors(await app.call('GET', '/api/consultations?from=2026-02-30&outcome=x', { token: desk }), ['from', 'outcome']);
    });

    it('GET /api/consultations › when a bank user asks › returns 403', async () => {
      for (const token of [officer, bankAdmin]) {
        expectProblem(await app.call('GET', '/api/consultations', { token }), 403, 'forbidden');
        expectProblem(await app.call('GET', '/api/consultations/export.csv', { token }), 403, 'forbidden');
        expectProblem(await app.call('GET', '/api/consultations/stats', { token }), 403, 'forbidden');
      }
    });

    it('GET /api/consultations/export.csv › when the desk exports › answers Excel-friendly CSV with the formula guarded, and audits it', async () => {
      const res = await app.call('GET', '/api/consultations/export.csv?from=2026-03-01&to=2026-03-31', { token: desk });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/csv/);
      // Raw bytes: Response.text() drops the BOM.
      const raw = await fetch(`${app.baseUrl}/api/consultations/export.csv?from=2026-03-01&to=2026-03-31`, { headers: { authorization: `Bearer ${desk}` } });
      expect([...new Uint8Array(await raw.arrayBuffer()).subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const rows = parse(res.text, { bom: true }) as string[][];
      expect(rows[0]).to.include.members(['企业名称', '结果', '联系电话']);
      expect(rows).to.have.length(1 + 4);
      const evil = rows.find((r) => r.includes('端州区星河餐饮有限公司'))!;
      expect(evil).to.include("'=HYPERLINK(\"http://evil\")").and.include('转信用辅导').and.include('138****8000');
      expect(evil[1]).to.equal('2026-03-03 10:00');
      const audit = await app.db.select().from(auditLog).where(eq(auditLog.action, 'consultation.export'));
      expect(audit).to.have.length(2);
    });

    it('GET /api/consultations/stats › counted by hand › answers each Shanghai week (Monday) and outcome', async () => {
      // Week of 2 March: the first test's walk-in (Mon 09:00, informed) and the 3 March coaching.
      // Week of 9 March: Mon 00:30 Shanghai (Sunday 16:30 UTC, so it must not fall in the week before) and Thu 12 March, both applied.
      const res = await app.call('GET', '/api/consultations/stats?from=2026-03-01&to=2026-03-31', { token: otherDesk });
      expect(res.status).to.equal(200);
      expect(res.body.total).to.equal(4);
      expect(res.body.byOutcome).to.deep.equal({ informed: 1, applied: 2, coaching: 1, referred: 0, other: 0 });
      expect(res.body.weeks).to.deep.equal([
        { weekOf: '2026-03-02', total: 2, byOutcome: { informed: 1, applied: 0, coaching: 1, referred: 0, other: 0 } },
        { weekOf: '2026-03-09', total: 2, byOutcome: { informed: 0, applied: 2, coaching: 0, referred: 0, other: 0 } },
      ]);
    });
  });

  describe('GET /api/companies/:uscc', () => {
    it('GET /api/companies/:uscc › when the company sent a request before › answers its name from the request', async () => {
      const req = await chosenBody(app, { count: 1 });
      expect((await app.call('POST', '/api/applications', { body: req })).status).to.equal(201);
      const res = await app.call('GET', `/api/companies/${String(req.company.uscc).toLowerCase()}`, { token: desk });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ uscc: req.company.uscc, name: req.company.name, source: 'application', district: '441204' });
    });

    it('GET /api/companies/:uscc › when only a consultation named it › answers the name the desk wrote', async () => {
      const code = uscc();
      await app.call('POST', '/api/consultations', { token: desk, body: body({ uscc: code, companyName: '德庆县贡柑合作社' }) });
      const res = await app.call('GET', `/api/companies/${code}`, { token: otherDesk });
      expect(res.body).to.include({ name: '德庆县贡柑合作社', source: 'consultation' });
    });

    it('GET /api/companies/:uscc › when nothing named it › returns 404; a bad code 400; a bank user 403', async () => {
      expectProblem(await app.call('GET', `/api/companies/${uscc()}`, { token: desk }), 404, 'company_not_found');
      expectFieldErrors(await app.call('GET', '/api/companies/91441204MA4W1234X1', { token: desk }), ['uscc']);
      expectProblem(await app.call('GET', `/api/companies/${uscc()}`, { token: officer }), 403, 'forbidden');
    });
  });
});
