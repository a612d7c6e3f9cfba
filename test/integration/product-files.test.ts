import { expect } from 'chai';
import { count, eq, sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { banks } from '../../models/banks';
import { products } from '../../models/products';
import { productsToCsv } from '../../routes/products/files';
import { productRowSchema, type ProductRowInput } from '../../routes/products/schema';
import { queryRows } from '../../server/sql';
import { readCsv } from '../../server/csv';
import { seedDemo } from '../../server/seed';
import { startTestApp, type TestApp } from '../helpers/app';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { withExtraEntry } from '../helpers/zip';
import { buildUser, tokenFor } from '../helpers/factories';

/** A checksum of every product row: any write changes it. */
async function productsDigest(app: TestApp): Promise<string> {
  const [row] = await queryRows<{ d: string }>(app.db, sql`select md5(string_agg(t::text, '|' order by t::text)) as d from products t`);
  return row!.d;
}

/** POSTs the bytes of a file, as a browser's upload would. */
async function upload(app: TestApp, path: string, token: string, bytes: Uint8Array, type = 'text/csv') {
  const res = await fetch(`${app.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: new Uint8Array(bytes) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
}

/** What Excel on Chinese Windows saves: GB18030 (GBK), CRLF, no BOM. */
const asExcelChineseCsv = (rows: ProductRowInput[]) => new Uint8Array(iconv.encode(productsToCsv(rows).replace(/^\uFEFF/, ''), 'gb18030'));

async function productCount(app: TestApp) {
  const [row] = await app.db.select({ n: count() }).from(products);
  return Number(row!.n);
}

describe('the demo registry, import and export', function () {
  this.timeout(120_000);
  let app: TestApp;
  /** Imports edit product fields, so they are the bank admin's and the administrator's (who may also publish). */
  let admin: string;
  let desk: string;

  before(async () => {
    app = await startTestApp();
    await seedDemo(app.db);
    admin = await tokenFor(app, await buildUser(app.db, { role: 'admin' }));
    desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
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

  describe('files from Excel', () => {
    let abcAdmin: string;
    let abcRows: ProductRowInput[];
    const publicNames = async () => (await app.call('GET', '/api/products?bankId=' + (await app.db.select().from(banks).where(eq(banks.code, 'ABC')))[0]!.id + '&pageSize=200')).body.items.map((p: { name: string }) => p.name);

    before(async () => {
      const [abc] = await app.db.select().from(banks).where(eq(banks.code, 'ABC'));
      abcAdmin = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: abc!.id }));
      const exported = await app.call('GET', '/api/products/export?format=json');
      abcRows = (exported.body.items as ProductRowInput[]).filter((r) => r.bankCode === 'ABC').slice(0, 2)
        .map((r, i) => ({ ...r, name: ['经营快贷', '肇庆首贷通'][i]!, description: '面向高要区小微企业，随借随还' }));
    });

    it('POST /api/products/import › when a bank admin sends a GB18030 CSV with CRLF › keeps the Chinese intact, as drafts the public does not see', async () => {
      const before = await publicNames();
      const res = await upload(app, '/api/products/import', abcAdmin, asExcelChineseCsv(abcRows));
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.deep.equal({ total: 2, created: 0, updated: 2, unchanged: 0 });
      const drafts = await app.db.select().from(products).where(eq(products.status, 'draft'));
      expect(drafts.map((d) => d.name)).to.include.members(['经营快贷', '肇庆首贷通']);
      expect(drafts.find((d) => d.name === '经营快贷')!.description).to.equal('面向高要区小微企业，随借随还');
      expect(await publicNames(), 'the catalogue is unchanged').to.deep.equal(before);
    });

    it('POST /api/products/import › when a bank admin asks to publish › answers 403 and changes nothing', async () => {
      const digest = await productsDigest(app);
      expectProblem(await upload(app, '/api/products/import?publish=true', abcAdmin, asExcelChineseCsv(abcRows)), 403);
      expect(await productsDigest(app)).to.equal(digest);
    });

    it('POST /api/products/import › when an administrator sends the same file with publish=true › publishes the drafts', async () => {
      const res = await upload(app, '/api/products/import?publish=true', admin, asExcelChineseCsv(abcRows));
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.deep.equal({ total: 2, created: 0, updated: 2, unchanged: 0 });
      expect(await publicNames()).to.include.members(['经营快贷', '肇庆首贷通']);
    });

    it('POST /api/products/import › when the desk sends a file › answers 403 and changes nothing, since the desk reviews and does not rewrite', async () => {
      const digest = await productsDigest(app);
      for (const path of ['/api/products/import', '/api/products/import?publish=true']) {
        expectProblem(await upload(app, path, desk, asExcelChineseCsv(abcRows.map((r) => ({ ...r, rate: { min: 1.5, max: 9 } })))), 403);
      }
      expect(await productsDigest(app)).to.equal(digest);
    });

    it('POST /api/products/import › when a row holds bytes that are neither UTF-8 nor GB18030 › answers 400 naming the row and changes nothing', async () => {
      const digest = await productsDigest(app);
      const good = asExcelChineseCsv(abcRows.map((r) => ({ ...r, name: `${r.name}二` })));
      const at = good.lastIndexOf(0x0a, good.length - 2) + 1; // the start of the last line: row 2
      const bad = new Uint8Array([...good.subarray(0, at + 4), 0xff, ...good.subarray(at + 4)]);
      const res = await upload(app, '/api/products/import', admin, bad);
      expectProblem(res, 400, 'validation_error');
      expect(res.body.errors.map((e: { row: number; path: string }) => [e.row, e.path])).to.deep.equal([[2, 'rows.2']]);
      expect(await productsDigest(app)).to.equal(digest);
    });

    it('POST /api/products/import › when a cell holds a NUL character › answers 400 naming the row and field', async () => {
      const digest = await productsDigest(app);
      const csv = productsToCsv([{ ...abcRows[0]!, name: '经营\u0000快贷' }]);
      const res = await upload(app, '/api/products/import', admin, new TextEncoder().encode(csv));
      expectProblem(res, 400, 'validation_error');
      expect(res.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['rows.1.name']);
      expect(await productsDigest(app)).to.equal(digest);
    });

    it('POST /api/products/import › when the .xlsx is broken or unpacks to more than 64 MB › answers 400 on body before exceljs reads it', async () => {
      const digest = await productsDigest(app);
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('products');
      const filler = 'A'.repeat(1_000_000);
      for (let i = 0; i < 70; i++) sheet.addRow([`${filler}${i}`]);
      const bomb = new Uint8Array(await book.xlsx.writeBuffer());
      expect(bomb.length, 'small on the wire').to.be.below(200_000);
      const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      for (const file of [bomb, new TextEncoder().encode('PK\u0003\u0004 not really a zip')]) {
        const res = await upload(app, '/api/products/import', admin, file, type);
        expectFieldErrors(res, ['body']);
      }
      expect(await productsDigest(app)).to.equal(digest);
    });

    it('POST /api/products/import › when the .xlsx hides an entry from its end record, is 16,384 columns wide, or holds an impossible date › answers 400 and changes nothing', async () => {
      const digest = await productsDigest(app);
      const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      const sheetBytes = async (fill: (sheet: ExcelJS.Worksheet) => void) => {
        const book = new ExcelJS.Workbook();
        fill(book.addWorksheet('products'));
        return Buffer.from(await book.xlsx.writeBuffer());
      };
      const header = ['bankCode', 'code', 'name'];
      const small = await sheetBytes((sheet) => sheet.addRow(header));
      const bomb = withExtraEntry(small, 200 * 1024 * 1024);
      expect(bomb.length, 'small on the wire').to.be.below(400_000);
      expectFieldErrors(await upload(app, '/api/products/import', admin, bomb, type), ['body']);
      const wide = await sheetBytes((sheet) => {
        for (let r = 1; r <= 1200; r++) sheet.getCell(r, 16384).value = 'x';
      });
      expectFieldErrors(await upload(app, '/api/products/import', admin, wide, type), ['body']);
      const date = await sheetBytes((sheet) => {
        sheet.addRow(header);
        sheet.addRow(['ABC', 'ABC-D1', 1e15]).getCell(3).numFmt = 'yyyy-mm-dd';
      });
      expectFieldErrors(await upload(app, '/api/products/import', admin, date, type), ['rows.1.name']);
      expect(await productsDigest(app)).to.equal(digest);
    });

    it('GET /api/products/export?format=xlsx › imported into a fresh installation › gives back the same catalogue', async () => {
      const res = await fetch(`${app.baseUrl}/api/products/export?format=xlsx`);
      expect(res.headers.get('content-type')).to.match(/^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/);
      const xlsx = new Uint8Array(await res.arrayBuffer());
      const fresh = await startTestApp();
      try {
        await seedDemo(fresh.db, { accounts: false });
        await fresh.db.delete(products);
        const admin = await tokenFor(fresh, await buildUser(fresh.db, { role: 'admin' }));
        const imported = await upload(fresh, '/api/products/import?publish=true', admin, xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        expect(imported.status, imported.text).to.equal(200);
        expect(imported.body).to.deep.equal({ total: 132, created: 132, updated: 0, unchanged: 0 });
        const before = await app.call('GET', '/api/products/export?format=json');
        const after = await fresh.call('GET', '/api/products/export?format=json');
        expect(after.body.items).to.deep.equal(before.body.items);
      } finally {
        await fresh.close();
      }
    });

    it('GET /api/products/export › when names and descriptions look like formulas › neutralises them in CSV, keeps them text in .xlsx, and reads them back unchanged', async () => {
      const formulas = ['=HYPERLINK("http://evil.example","点我领取")', '+1', '-1+2', '@SUM(A1:A9)'];
      const rows = formulas.map((f, i) => ({ ...abcRows[0]!, code: `ABC-FX-${i}`, name: `${f}贷`, description: f }));
      expect((await app.call('POST', '/api/products/import?publish=true', { token: admin, body: rows })).body.created).to.equal(4);

      const csv = await app.call('GET', '/api/products/export?format=csv&bankId=' + (await app.db.select().from(banks).where(eq(banks.code, 'ABC')))[0]!.id);
      const raw = (parse(csv.text, { bom: true }) as string[][]).filter((r) => r[1]!.startsWith('ABC-FX-'));
      expect(raw.map((r) => [r[3], r[15]]), 'as a spreadsheet sees the cells').to.deep.equal(formulas.map((f) => [`'${f}贷`, `'${f}`]));
      expect(csv.text, 'numbers stay numbers').to.match(/,100000,/);
      const again = await upload(app, '/api/products/import', admin, new TextEncoder().encode(csv.text));
      expect(again.body.unchanged, again.text).to.equal(again.body.total);

      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await (await fetch(`${app.baseUrl}/api/products/export?format=xlsx`)).arrayBuffer());
      const sheet = book.worksheets[0]!;
      const names = sheet.getColumn(4).values.filter((v) => typeof v === 'string' && v.endsWith('贷') && formulas.some((f) => v.startsWith(f)));
      expect(names).to.have.length(4);
      sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type, String(cell.value)).not.to.equal(ExcelJS.ValueType.Formula)));
    });

    it('GET /api/products?q=% › when one product name holds a percent sign › matches only that one (banks and users alike)', async () => {
      await app.call('POST', '/api/products/import?publish=true', { token: admin, body: [{ ...abcRows[1]!, code: 'ABC-PCT', name: '贴息50%经营贷' }] });
      const found = await app.call('GET', `/api/products?q=${encodeURIComponent('%')}`);
      expect(found.body.items.map((p: { name: string }) => p.name)).to.deep.equal(['贴息50%经营贷']);
      expect((await app.call('GET', `/api/products?q=${encodeURIComponent('_')}`)).body.total).to.equal(0);
      expect((await app.call('GET', `/api/banks?q=${encodeURIComponent('%')}`)).body.total, 'no bank name holds %').to.equal(0);
      expect((await app.call('GET', `/api/banks?q=${encodeURIComponent('_')}`)).body.total, 'nor _').to.equal(0);
      const users = await app.call('GET', `/api/users?q=${encodeURIComponent('%')}`, { token: admin });
      expect(users.status, users.text).to.equal(200);
      expect(users.body.total, 'no username holds %').to.equal(0);
    });
  });
});
