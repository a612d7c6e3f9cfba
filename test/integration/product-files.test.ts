import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { banks } from '../../models/banks';
import { products } from '../../models/products';
import { productRowSchema } from '../../routes/products/schema';
import { readCsv } from '../../server/csv';
import { seedDemo } from '../../server/seed';
import { startTestApp, type TestApp } from '../helpers/app';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildUser, tokenFor } from '../helpers/factories';
import { productCount } from '../helpers/product-files';

describe('the demo registry, import and export', function () {
  this.timeout(120_000);
  let app: TestApp;
  /** Imports edit product fields, so they are the bank admin's and the administrator's (who may also publish). */
  let admin: string;

  before(async () => {
    app = await startTestApp();
    await seedDemo(app.db);
    admin = await tokenFor(app, await buildUser(app.db, { role: 'admin' }));
  });
  after(() => app.close());

  describe('npm run seed', () => {
    it('holds exactly 25 banks and 132 published products, each passing the product schema', async () => {
      const bankList = await app.call('GET', '/api/banks');
      expect(bankList.body.total).to.equal(25);
      expect(bankList.body.items.reduce((s: number, b: { productCount: number }) => s + b.productCount, 0)).to.equal(132);
      const exported = await app.call('GET', '/api/products/export?format=json');
      expect(exported.body.total).to.equal(132);
      for (const row of exported.body.items) {
        const { error } = productRowSchema.validate(row, { abortEarly: false });
        expect(error, `${row.bankCode}/${row.code}`).to.equal(undefined);
      }
      const types = new Set(exported.body.items.map((r: { type: string }) => r.type));
      expect([...types]).to.include.members(['credit', 'tax', 'mortgage', 'guarantee', 'procurement', 'ip_pledge', 'supply_chain', 'tech', 'first_loan']);
    });

    it('covers every district of Zhaoqing with branches', async () => {
      const districts = new Set<string>();
      const bankList = await app.call('GET', '/api/banks');
      for (const b of bankList.body.items) {
        const res = await app.call('GET', `/api/banks/${b.id}/branches`);
        for (const br of res.body.items) districts.add(br.district);
      }
      expect([...districts].sort()).to.deep.equal(['441202', '441203', '441204', '441223', '441224', '441225', '441226', '441284']);
    });

    it('prices around the LPR: every minimum rate within 0 to 150 bp of 3.00%', async () => {
      const exported = await app.call('GET', '/api/products/export?format=json');
      for (const r of exported.body.items) expect(r.rate.min, r.code).to.be.within(3.0, 4.5);
    });

    it('changes nothing when run again', async () => {
      const again = await seedDemo(app.db);
      expect(again).to.deep.equal({ banks: 0, branches: 0, products: 0, users: 0 });
      expect(await productCount(app)).to.equal(132);
    });

    it('creates demo accounts that the sign-in page lists until their password changes', async () => {
      const res = await app.call('GET', '/api/auth/demo-accounts');
      expect(res.body.password).to.equal('rongma-demo-2026');
      expect(res.body.accounts.map((a: { username: string }) => a.username)).to.have.members(['demo.desk', 'abc.admin', 'abc.officer', 'zqrcb.admin', 'zqrcb.officer']);
      const token = await tokenFor(app, { username: 'abc.officer' }, 'rongma-demo-2026');
      const me = await app.call('GET', '/api/auth/me', { token });
      const [abc] = await app.db.select().from(banks).where(eq(banks.code, 'ABC'));
      expect(me.body.user).to.include({ role: 'bank_officer', bankId: abc!.id });
      const admin = await tokenFor(app, await buildUser(app.db, { role: 'admin' }));
      await app.call('PATCH', `/api/users/${me.body.user.id}`, { token: admin, body: { password: 'a-private-password' } });
      const after = await app.call('GET', '/api/auth/demo-accounts');
      expect(after.body.accounts.map((a: { username: string }) => a.username)).not.to.include('abc.officer');
    });
  });

  describe('export → import', () => {
    it('is a lossless round trip through CSV into a fresh installation', async () => {
      const csv = await app.call('GET', '/api/products/export?format=csv');
      expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
      const raw = new Uint8Array(await (await fetch(`${app.baseUrl}/api/products/export?format=csv`)).arrayBuffer());
      expect([...raw.slice(0, 3)], 'UTF-8 BOM so Excel reads Chinese').to.deep.equal([0xef, 0xbb, 0xbf]);
      expect(readCsv(csv.text)).to.have.length(133);

      const fresh = await startTestApp();
      try {
        await seedDemo(fresh.db, { accounts: false });
        await fresh.db.delete(products);
        const freshAdmin = await tokenFor(fresh, await buildUser(fresh.db, { role: 'admin' }));
        const imported = await fresh.call('POST', '/api/products/import?publish=true', { token: freshAdmin, raw: csv.text, headers: { 'content-type': 'text/csv' } });
        expect(imported.status, imported.text).to.equal(200);
        expect(imported.body).to.deep.equal({ total: 132, created: 132, updated: 0, unchanged: 0 });
        const before = await app.call('GET', '/api/products/export?format=json');
        const afterExport = await fresh.call('GET', '/api/products/export?format=json');
        expect(afterExport.body.items).to.deep.equal(before.body.items);
        const csvAgain = await fresh.call('GET', '/api/products/export?format=csv');
        expect(csvAgain.text).to.equal(csv.text);
      } finally {
        await fresh.close();
      }
    });

    it('leaves everything unchanged when the same JSON export is imported again', async () => {
      const exported = await app.call('GET', '/api/products/export?format=json');
      const res = await app.call('POST', '/api/products/import', { token: admin, body: { items: exported.body.items } });
      expect(res.body).to.deep.equal({ total: 132, created: 0, updated: 0, unchanged: 132 });
      expect(await productCount(app)).to.equal(132);
    });

    it('publishes a changed row as a new version, the old one retired', async () => {
      const exported = await app.call('GET', '/api/products/export?format=json');
      const row = { ...exported.body.items[0], approvalDays: 2, name: '导入修改后的名称' };
      const res = await app.call('POST', '/api/products/import?publish=true', { token: admin, body: [row] });
      expect(res.body).to.deep.equal({ total: 1, created: 0, updated: 1, unchanged: 0 });
      const family = await app.db.select().from(products).where(eq(products.code, row.code));
      expect(family.map((p) => `${p.version}:${p.status}`).sort()).to.deep.equal(['1:retired', '2:published']);
    });
  });

  describe('a bad import', () => {
    it('names every bad row and field and changes nothing', async () => {
      const before = await productCount(app);
      const exported = await app.call('GET', '/api/products/export?format=json');
      const good = { ...exported.body.items[1], code: 'NEW-OK', name: '一条好数据' };
      const badRate = { ...exported.body.items[2], code: 'NEW-BAD', rate: { min: 5, max: 4 } };
      const badBank = { ...exported.body.items[3], code: 'NEW-BANK', bankCode: 'NOPE' };
      const res = await app.call('POST', '/api/products/import', { token: admin, body: { items: [good, badRate, badBank, { ...good }] } });
      expectProblem(res, 400, 'validation_error');
      const errors = res.body.errors as { row: number; path: string; message: string }[];
      expect(errors.map((e) => [e.row, e.path])).to.deep.equal([[2, 'rows.2.rate'], [3, 'rows.3.bankCode'], [4, 'rows.4.code']]);
      expect(errors[0]!.message).to.match(/^row 2: /);
      expect(await productCount(app)).to.equal(before);
    });

    it('reports a CSV cell that is not JSON, and an unknown column', async () => {
      const csv = 'bankCode,code,name,criteria,colour\r\nABC,X-1,名称,{not json},red\r\n';
      const res = await app.call('POST', '/api/products/import', { token: admin, raw: csv, headers: { 'content-type': 'text/csv' } });
      expectProblem(res, 400, 'validation_error');
      const paths = (res.body.errors as { path: string }[]).map((e) => e.path);
      expect(paths).to.include.members(['header', 'rows.1.criteria', 'rows.1.type']);
    });

    it('refuses a bank admin rows of another bank, naming them', async () => {
      const [abc] = await app.db.select().from(banks).where(eq(banks.code, 'ABC'));
      const admin = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: abc!.id }));
      const exported = await app.call('GET', '/api/products/export?format=json');
      const foreign = { ...exported.body.items.find((r: { bankCode: string }) => r.bankCode === 'CCB'), status: 'draft' };
      const own = { ...exported.body.items.find((r: { bankCode: string }) => r.bankCode === 'ABC'), code: 'ABC-NEW' };
      const res = await app.call('POST', '/api/products/import', { token: admin, body: [foreign, own] });
      expectProblem(res, 400);
      expect((res.body.errors as { path: string }[]).map((e) => e.path)).to.deep.equal(['rows.1.bankCode']);
    });

    it('answers a body of the wrong shape with 400', async () => {
      expectFieldErrors(await app.call('POST', '/api/products/import', { token: admin, body: { rows: 1 } }), ['items']);
      expectFieldErrors(await app.call('POST', '/api/products/import', { token: admin, body: [] }), ['rows']);
    });

    it('is 403 for officers and 401 for the public', async () => {
      expectProblem(await app.call('POST', '/api/products/import', { body: [] }), 401);
    });
  });
});
