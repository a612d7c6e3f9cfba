import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import jsQR from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { generateActivity } from '../../server/demo/activity';
import { addDemoDrafts } from '../../server/demo/drafts';
import { seedDemo } from '../../server/seed';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser';
import { buildUser, TEST_PASSWORD, tokenFor } from '../helpers/factories';
import { sh } from '../helpers/time';

describe('the financing desk in the browser: dashboard, product review, QR channels', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let token: string;

  before(async () => {
    const now = sh('2026-11-20T15:00');
    app = await startTestApp({ clock: new TestClock(now) });
    await seedDemo(app.db, { accounts: false });
    await generateActivity(app.db, { leads: 1200, now, seed: 7 });
    await addDemoDrafts(app.db, now);
    const desk = await buildUser(app.db, { role: 'desk', username: 'lin.desk', name: '林专窗' });
    token = await tokenFor(app, desk);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
    errors = watchPage(page).errors;
    await page.goto(`${app.baseUrl}/staff/login`);
    await page.fill('#username', 'lin.desk');
    await page.fill('#password', TEST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.baseUrl}/desk`);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
  const api = async (path: string) => (await app.call('GET', path, { token })).body;
  const kpi = (key: string) => page.textContent(`[data-kpi=${key}] strong`);

  it('shows the KPI cards the report API computes, four drawn charts, the league table and the lists', async () => {
    await page.waitForSelector('body[data-reports=loaded]');
    const s = await api('/api/reports/summary');
    expect(s.leads).to.be.greaterThan(1000);
    expect(await kpi('applications')).to.equal(String(s.applications));
    expect(await kpi('firstLoanApplications')).to.equal(String(s.firstLoanApplications));
    expect(await kpi('leads')).to.equal(String(s.leads));
    expect(await kpi('acceptWithinSla')).to.equal(`${s.sla.accept.withinSlaPct}%`);
    expect(await kpi('approvalRate')).to.equal(`${s.approvalRatePct}%`);
    expect(await kpi('creditShare')).to.equal(`${s.creditLoanSharePct}%`);
    expect(await kpi('avgRate')).to.equal(`${s.avgRatePct.toFixed(2)}% (LPR+${s.avgSpreadBp}bp)`);

    // Each chart is an ECharts SVG with drawn marks; the funnel's first step is the channels' scans.
    for (const chart of ['trend', 'funnel', 'declines', 'sla']) {
      const marks = await page.locator(`[data-chart=${chart}] svg path`).count();
      expect(marks, `${chart} chart marks`).to.be.greaterThan(5);
    }
    const scans = (await api('/api/reports/channels')).items.reduce((n: number, c: { scans: number }) => n + c.scans, 0);
    expect(await page.textContent('[data-chart=funnel]')).to.contain(String(scans));
    expect(await page.textContent('[data-chart=declines]')).to.contain('营业收入不足');

    const league = (await api('/api/reports/banks')).items;
    expect(await page.locator('#league tbody tr').count()).to.equal(league.length);
    await page.click('[data-sort=approvalRate]');
    const byApproval = (await api('/api/reports/banks?sort=approvalRate&order=desc')).items;
    await page.waitForSelector(`#league tbody tr:first-child[data-bank="${byApproval[0].bankId}"]`);
    await page.click('[data-sort=approvalRate]');
    const ascending = (await api('/api/reports/banks?sort=approvalRate&order=asc')).items;
    await page.waitForSelector(`#league tbody tr:first-child[data-bank="${ascending[0].bankId}"]`);

    const overdue = await api('/api/leads?overdue=true&pageSize=10');
    const flagged = await api('/api/leads?flagged=true&pageSize=10');
    expect(overdue.total, 'the demo year leaves some leads overdue').to.be.greaterThan(0);
    expect(flagged.total, 'and a broker at work').to.be.greaterThan(0);
    expect(await page.locator('#overdue [data-open-lead]').count()).to.equal(overdue.items.length);
    expect(await page.locator('#flagged [data-open-lead]').count()).to.equal(flagged.items.length);
    await screenshot(page, 'desk-dashboard');

    // A listed lead opens with its history, and the address can be shared.
    const first = overdue.items[0];
    await page.click(`#overdue [data-open-lead="${first.id}"]`);
    await page.waitForSelector('#lead-dialog[open]');
    expect(await page.textContent('#lead-detail')).to.contain(`#${first.id}`).and.contain(first.company.name);
    expect(new URL(page.url()).search).to.equal(`?lead=${first.id}`);
    await page.click('#lead-dialog button[type=submit]');
    expect(errors).to.deep.equal([]);
  });

  it('filters every figure by district and date, and exports the same leads as UTF-8 CSV with a BOM', async () => {
    await page.fill('#f-from', '2026-06-01');
    await page.fill('#f-to', '2026-09-30');
    await page.selectOption('#f-district', '441204');
    await page.click('#filters button[type=submit]');
    const s = await api('/api/reports/summary?from=2026-06-01&to=2026-09-30&district=441204');
    await page.waitForFunction((n) => document.querySelector('[data-kpi=leads] strong')?.textContent === n, String(s.leads));
    expect(await kpi('applications')).to.equal(String(s.applications));
    expect(await page.textContent('#range')).to.equal('2026-06-01 – 2026-09-30');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).to.contain('银行');
    expect(lines.length - 1).to.equal(s.leads);
    expect(lines.slice(1).every((l) => l.includes('高要区') || l.includes('441204'))).to.equal(true);
    expect(download.suggestedFilename()).to.equal('rongma-leads-2026-06-01-2026-09-30.csv');
  });

  it('switches to English', async () => {
    await page.click('[data-lang-switch]');
    expect(await page.textContent('h1')).to.equal('Financing desk dashboard');
    expect(await page.textContent('[data-kpi=leads] span')).to.equal('Leads sent to banks');
    await page.click('[data-lang-switch]');
    expect(await page.textContent('h1')).to.equal('融资专窗看板');
  });

  it('reviews a bank’s change beside the live version and publishes it', async () => {
    await page.goto(`${app.baseUrl}/desk/products`);
    await page.waitForSelector('[data-draft]');
    expect(await page.locator('[data-draft]').count()).to.equal(2);
    const edit = page.locator('[data-draft]', { hasText: '第 1 版 → 第 2 版' });
    expect(await edit.locator('tr[data-changed]').count(), 'amount, rate and description changed').to.equal(3);
    const draftId = Number(await edit.locator('[data-publish]').getAttribute('data-publish'));
    await screenshot(page, 'desk-products');
    await edit.locator('[data-publish]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-draft]').length === 1);
    const published = await api(`/api/products/${draftId}`);
    expect(published).to.include({ status: 'published', version: 2 });
    const old = (await api(`/api/products?status=retired&bankId=${published.bankId}&pageSize=100`)).items.find((p: { code: string }) => p.code === published.code);
    expect(old).to.include({ version: 1, supersededById: draftId });
    expect(errors).to.deep.equal([]);
  });

  it('returns a bank’s draft with a required comment, shows the history, and marks it resubmitted once the bank changes it; the bank admin reads the comment', async () => {
    await page.goto(`${app.baseUrl}/desk/products`);
    const card = page.locator('[data-draft]').first();
    await card.waitFor();
    const draftId = Number(await card.getAttribute('data-draft'));
    const draft = await api(`/api/products/${draftId}`);

    // No comment, no return: the box says so and nothing is sent.
    await card.locator('[data-return] button').click();
    await card.locator('.field-error:not([hidden])').waitFor();
    expect(await card.locator('textarea').getAttribute('aria-invalid')).to.equal('true');
    expect((await api(`/api/products/${draftId}/reviews`)).total).to.equal(0);

    await card.locator('textarea').fill('请写明玉器存货质押的估值方式和质押率');
    await card.locator('[data-return] button').click();
    await page.locator(`[data-draft="${draftId}"] [data-review=returned]`).waitFor();
    const returned = page.locator(`[data-draft="${draftId}"]`);
    expect(await returned.textContent()).to.contain('请写明玉器存货质押的估值方式和质押率');
    expect(await returned.locator('[data-return]').count(), 'nothing to return again until the bank changes it').to.equal(0);
    expect(await page.textContent('#draft-count')).to.equal('待审核 0 项，已退回待银行修改 1 项');
    await returned.locator('summary').click();
    expect(await returned.locator('[data-review-action=returned]').textContent()).to.contain('林专窗').and.contain('退回修改');
    expect((await api(`/api/products/${draftId}`)).review).to.include({ action: 'returned', resubmitted: false });
    await screenshot(page, 'desk-products-returned');

    // The bank's admin sees the comment on the bank page's product list.
    await buildUser(app.db, { role: 'bank_admin', bankId: draft.bankId, username: 'zq.products', name: '产品经理' });
    const bankPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const bankErrors = watchPage(bankPage).errors;
    await bankPage.goto(`${app.baseUrl}/staff/login`);
    await bankPage.fill('#username', 'zq.products');
    await bankPage.fill('#password', TEST_PASSWORD);
    await bankPage.click('button[type=submit]');
    await bankPage.waitForURL(`${app.baseUrl}/bank`);
    await bankPage.click('[data-tab=products]');
    const own = bankPage.locator(`[data-product="${draftId}"] [data-review=returned]`);
    await own.waitFor();
    expect(await own.textContent()).to.contain('请写明玉器存货质押的估值方式和质押率');
    await screenshot(bankPage, 'bank-products-returned');

    // The bank changes the draft: it is back in review, marked resubmitted, and can be returned again.
    app.clock.advance(60_000);
    const bankToken = await tokenFor(app, { username: 'zq.products' });
    const edit = await app.call('PATCH', `/api/products/${draftId}`, { token: bankToken, body: { description: '可凭玉器存货质押，按评估价 50% 放款' } });
    expect(edit.status, edit.text).to.equal(200);
    await page.reload();
    await page.locator(`[data-draft="${draftId}"] [data-review=resubmitted]`).waitFor();
    expect(await page.locator(`[data-draft="${draftId}"] [data-return]`).count()).to.equal(1);
    expect(await page.textContent('#draft-count')).to.equal('待审核 1 项');
    await bankPage.click('[data-tab=new]');
    await bankPage.click('[data-tab=products]');
    await bankPage.locator(`[data-product="${draftId}"] [data-review=resubmitted]`).waitFor();
    await bankPage.context().close();
    expect(bankErrors).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
  });

  it('refuses to publish a draft the bank changed after the page showed it, says so, and shows the current version to review again', async () => {
    await page.goto(`${app.baseUrl}/desk/products`);
    const card = page.locator('[data-draft]').first();
    await card.waitFor();
    const draftId = Number(await card.getAttribute('data-draft'));
    const draft = await api(`/api/products/${draftId}`);
    const bankToken = await tokenFor(app, { username: 'zq.products' });
    const edit = await app.call('PATCH', `/api/products/${draftId}`, { token: bankToken, body: { description: '改为按评估价 70% 放款' } });
    expect(edit.status, edit.text).to.equal(200);
    expect(draft.bankId).to.equal(edit.body.bankId);

    await card.locator('[data-publish]').click();
    await page.locator('#error:not([hidden])').waitFor();
    expect(await page.textContent('#error')).to.contain('银行在您打开后修改了这份草稿，未发布也未退回');
    await page.locator(`[data-draft="${draftId}"]`, { hasText: '改为按评估价 70% 放款' }).waitFor();
    expect((await api(`/api/products/${draftId}`)).status, 'nothing was published').to.equal('draft');
    await screenshot(page, 'desk-products-changed');

    await page.locator(`[data-draft="${draftId}"] [data-publish]`).click();
    await page.waitForFunction((id) => !document.querySelector(`[data-draft="${id}"]`), draftId);
    expect(await api(`/api/products/${draftId}`)).to.include({ status: 'published', description: '改为按评估价 70% 放款' });
    const refused = errors.filter((e) => /status of 409/.test(e));
    expect(refused, 'the browser logs the refused publish').to.have.length(1);
    expect(errors.filter((e) => !refused.includes(e))).to.deep.equal([]);
    errors.length = 0;
  });

  it('creates a QR channel whose PNG decodes to its link, and counts its scans', async () => {
    await page.goto(`${app.baseUrl}/desk/channels`);
    await page.waitForSelector('[data-channel]');
    await page.fill('#c-name', '冬季首贷服务进园区（高新区）');
    await page.selectOption('#c-kind', 'event');
    await page.selectOption('#c-district', '441284');
    await page.click('#channel-form button[type=submit]');
    const row = page.locator('tr', { hasText: '冬季首贷服务进园区' });
    await row.waitFor();
    const code = (await row.getAttribute('data-channel'))!;
    const png = await page.request.get(`${app.baseUrl}${await row.locator('a', { hasText: 'PNG' }).getAttribute('href')}`);
    const image = PNG.sync.read(Buffer.from(await png.body()));
    expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).to.equal(`${app.config.publicBaseUrl}/q/${code}`);
    const poster = await page.request.get(`${app.baseUrl}${await row.locator('a', { hasText: /^海报$/ }).getAttribute('href')}`);
    expect(await poster.text()).to.contain('冬季首贷服务进园区');
    expect(await row.locator('[data-scans]').textContent()).to.equal('0');

    // One visitor scanning twice (a reload) counts once: scans count people, not reloads.
    await fetch(`${app.baseUrl}/q/${code}`, { redirect: 'manual' });
    await fetch(`${app.baseUrl}/q/${code}`, { redirect: 'manual' });
    await page.reload();
    await page.locator(`tr[data-channel="${code}"] [data-scans]`).filter({ hasText: '1' }).waitFor();
    await screenshot(page, 'desk-channels');
    expect(errors).to.deep.equal([]);
  });
});
