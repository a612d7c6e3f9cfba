import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { auditLog } from '../../models/audit';
import type { UserRow } from '../../models/users';
import { readCsv } from '../../server/csv';
import { startTestApp, type TestApp } from '../helpers/app';
import { hardwareMaker, requestAtBank } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';

describe('the export of a bank\'s own leads', function () {
  this.timeout(90_000);
  let app: TestApp;
  const u: Record<string, UserRow> = {};
  const t: Record<string, string> = {};
  let held: number;
  let waiting: number;
  let other: number;

  before(async () => {
    app = await startTestApp();
    const bankA = (await buildLendingBank(app.db)).id;
    const bankB = (await buildLendingBank(app.db)).id;
    u.adminA = await buildUser(app.db, { role: 'bank_admin', bankId: bankA });
    u.adminB = await buildUser(app.db, { role: 'bank_admin', bankId: bankB });
    u.desk = await buildUser(app.db, { role: 'desk' });
    for (const [k, v] of Object.entries(u)) t[k] = await tokenFor(app, v);
    held = (await requestAtBank(app, bankA, { phone: '13811112222', company: hardwareMaker({ name: '=HYPERLINK("http://x")五金厂' }) })).leadId;
    waiting = (await requestAtBank(app, bankA, { phone: '13833334444' })).leadId;
    other = (await requestAtBank(app, bankB, { phone: '13955556666' })).leadId;
    expect((await app.call('POST', `/api/leads/${held}/claim`, { token: t.adminA })).status).to.equal(200);
  });
  after(() => app.close());

  const download = (token: string | undefined, query = '') => app.call('GET', `/api/leads/export${query}`, { token });

  it('GET /api/leads/export › as CSV › holds only the bank\'s leads, the contact unmasked only where the bank holds the lead, formulas neutralised', async () => {
    const res = await download(t.adminA, '?format=csv');
    expect(res.status, res.text).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(res.headers.get('content-disposition')).to.match(/attachment; filename="rongma-leads-.*\.csv"/);
    const rows = readCsv(res.text);
    const byId = new Map(rows.slice(1).map((r) => [Number(r[0]), r]));
    expect([...byId.keys()].sort()).to.deep.equal([held, waiting].sort());
    expect(byId.get(held)).to.include('13811112222');
    expect(byId.get(waiting)).to.include('138****4444').and.not.include('13833334444');
    expect(res.text).not.to.contain('13955556666');
    expect(res.text).to.contain('\'=HYPERLINK');
    const [audit] = await app.db.select().from(auditLog).where(and(eq(auditLog.action, 'lead.export'), eq(auditLog.actorId, u.adminA!.id)));
    expect(audit!.after).to.deep.include({ format: 'csv', rows: 2, unmaskedContacts: 1 });
  });

  it('GET /api/leads/export › as xlsx › answers a workbook with a header and one row per lead', async () => {
    const res = await fetch(`${app.baseUrl}/api/leads/export?format=xlsx`, { headers: { authorization: `Bearer ${t.adminA}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.contain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).to.equal(3);
    expect(String(sheet.getRow(1).getCell(1).value)).to.contain('lead');
  });

  it('GET /api/leads/export › for another bank › leaves this bank\'s leads out', async () => {
    const rows = readCsv((await download(t.adminB)).text);
    expect(rows.slice(1).map((r) => Number(r[0]))).to.deep.equal([other]);
  });

  it('GET /api/leads/export › for the desk or without a session › returns 403 or 401', async () => {
    expectProblem(await download(t.desk), 403);
    expectProblem(await download(undefined), 401);
  });

  it('GET /api/leads/export › with an unknown format › returns 400 on format', async () => {
    expectFieldErrors(await download(t.adminA, '?format=pdf'), ['format']);
  });
});
