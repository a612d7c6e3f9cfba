import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { auditLog } from '../../models/audit';
import { branches, type BankRow } from '../../models/banks';
import { startTestApp, type TestApp } from '../helpers/app';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildBank, buildBranch, buildUser, tokenFor } from '../helpers/factories';

describe('banks and branches API', () => {
  let app: TestApp;
  let bankA: BankRow;
  let bankB: BankRow;
  const t: Record<string, string> = {};

  before(async () => {
    app = await startTestApp();
    bankA = await buildBank(app.db, { code: 'ZZA', kind: 'state_owned' });
    bankB = await buildBank(app.db, { code: 'ZZB', kind: 'rural_commercial' });
    t.admin = await tokenFor(app, await buildUser(app.db, { role: 'admin' }));
    t.desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    t.adminA = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: bankA.id }));
    t.officerA = await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: bankA.id }));
  });
  after(() => app.close());

  describe('GET /api/banks', () => {
    it('lists active banks publicly, filterable by kind', async () => {
      const res = await app.call('GET', '/api/banks?kind=rural_commercial');
      expect(res.status).to.equal(200);
      expect(res.body.items.map((b: { code: string }) => b.code)).to.deep.equal(['ZZB']);
      expect(res.body.items[0]).to.include({ productCount: 0, kind: 'rural_commercial' });
    });

    it('names a bad kind', async () => {
      expectFieldErrors(await app.call('GET', '/api/banks?kind=shadow'), ['kind']);
    });
  });

  describe('POST /api/banks', () => {
    it('lets an admin add a bank, audited', async () => {
      const res = await app.call('POST', '/api/banks', { token: t.admin, body: { code: 'hsbc', name: '汇丰银行', shortName: '汇丰', kind: 'foreign' } });
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ code: 'HSBC', kind: 'foreign', active: true });
      const audit = await app.db.select().from(auditLog).where(eq(auditLog.action, 'bank.create'));
      expect(audit).to.have.length(1);
    });

    it('is 409 for a taken code, 403 for the desk and bank admins, 400 naming bad fields', async () => {
      expectProblem(await app.call('POST', '/api/banks', { token: t.admin, body: { code: 'ZZA', name: '重复银行', shortName: '重复', kind: 'foreign' } }), 409, 'bank_code_taken');
      expectProblem(await app.call('POST', '/api/banks', { token: t.desk, body: { code: 'X1', name: '某银行', shortName: '某', kind: 'foreign' } }), 403);
      expectProblem(await app.call('POST', '/api/banks', { token: t.adminA, body: { code: 'X1', name: '某银行', shortName: '某', kind: 'foreign' } }), 403);
      expectFieldErrors(await app.call('POST', '/api/banks', { token: t.admin, body: { code: '!', name: '', kind: 'shadow' } }), ['code', 'name', 'shortName', 'kind']);
    });

    it('hides a deactivated bank from the public list', async () => {
      const bank = await buildBank(app.db, { code: 'OLD' });
      await app.call('PATCH', `/api/banks/${bank.id}`, { token: t.admin, body: { active: false } });
      const res = await app.call('GET', '/api/banks?pageSize=200');
      expect(res.body.items.map((b: { code: string }) => b.code)).not.to.include('OLD');
    });
  });

  describe('branches', () => {
    it('lets a bank admin add and edit a branch of their own bank', async () => {
      const res = await app.call('POST', `/api/banks/${bankA.id}/branches`, { token: t.adminA, body: { name: '高要支行', district: '441204', address: '高要区府前大街1号', phone: '0758-8888888' } });
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ bankId: bankA.id, district: '441204' });
      const edit = await app.call('PATCH', `/api/banks/${bankA.id}/branches/${res.body.id}`, { token: t.adminA, body: { phone: '0758-7777777' } });
      expect(edit.body.phone).to.equal('0758-7777777');
      const list = await app.call('GET', `/api/banks/${bankA.id}/branches`);
      expect(list.body.items.map((b: { name: string }) => b.name)).to.include('高要支行');
    });

    it('is 404 when a bank admin adds or edits a branch of another bank, and nothing changes', async () => {
      const theirs = await buildBranch(app.db, bankB.id, { name: '乙行营业部' });
      expectProblem(await app.call('POST', `/api/banks/${bankB.id}/branches`, { token: t.adminA, body: { name: '越权支行', district: '441202' } }), 404, 'bank_not_found');
      expectProblem(await app.call('PATCH', `/api/banks/${bankB.id}/branches/${theirs.id}`, { token: t.adminA, body: { name: '改名' } }), 404, 'bank_not_found');
      // A branch id of bank B under bank A's path is not found either.
      expectProblem(await app.call('PATCH', `/api/banks/${bankA.id}/branches/${theirs.id}`, { token: t.adminA, body: { name: '改名' } }), 404, 'branch_not_found');
      const [row] = await app.db.select().from(branches).where(eq(branches.id, theirs.id));
      expect(row!.name).to.equal('乙行营业部');
    });

    it('is 403 for officers and names a bad district', async () => {
      expectProblem(await app.call('POST', `/api/banks/${bankA.id}/branches`, { token: t.officerA, body: { name: '某支行', district: '441202' } }), 403);
      expectFieldErrors(await app.call('POST', `/api/banks/${bankA.id}/branches`, { token: t.adminA, body: { name: '某支行', district: '12' } }), ['district']);
    });

    it('is 404 for the branches of a missing bank', async () => {
      expectProblem(await app.call('GET', '/api/banks/999999/branches'), 404, 'bank_not_found');
    });
  });
});
