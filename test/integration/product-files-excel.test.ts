import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { banks } from '../../models/banks';
import { products } from '../../models/products';
import { productsToCsv } from '../../routes/products/files';
import { type ProductRowInput } from '../../routes/products/schema';
import { seedDemo } from '../../server/seed';
import { startTestApp, type TestApp } from '../helpers/app';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { withExtraEntry } from '../helpers/zip';
import { buildUser, tokenFor } from '../helpers/factories';
import { asExcelChineseCsv, productsDigest, upload } from '../helpers/product-files';

describe('the demo registry, import and export from Excel', function () {
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
