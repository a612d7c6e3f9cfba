import { expect } from 'chai';
import { and, desc, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { smsMessages } from '../../models/sms';
import { seedDemo } from '../../server/seed';
import { startTestApp, type TestApp } from '../helpers/app';
import { hardwareMaker } from '../helpers/applications';
import { axeViolations } from '../helpers/axe';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser';
import { buildUser, TEST_PASSWORD, tokenFor } from '../helpers/factories';

const OWNER_PHONE = '13926581234';

describe('the desk\'s own services in the browser: consultation, coaching case, assisted application confirmed on the phone', function () {
  this.timeout(240_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let consentUrl = '';
  const notFound: string[] = [];

  before(async () => {
    app = await startTestApp({ config: { publicBaseUrl: 'http://127.0.0.1' } });
    await seedDemo(app.db, { accounts: false });
    await buildUser(app.db, { role: 'desk', username: 'wang.desk', name: '王专窗' });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    errors = watchPage(page).errors;
    // An unknown USCC is a 404 from the name lookup (the browser logs it); any other 404 is a fault.
    page.on('response', (r) => {
      if (r.status() === 404) notFound.push(new URL(r.url()).pathname);
    });
    await page.goto(`${app.baseUrl}/staff/login`);
    await page.fill('#username', 'wang.desk');
    await page.fill('#password', TEST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.baseUrl}/desk`);
    // Let the dashboard finish loading: leaving it mid-way aborts its requests (which the page watch counts).
    await page.waitForSelector('body[data-reports=loaded]');
    await page.waitForLoadState('networkidle');
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function fillProfile(c: ReturnType<typeof hardwareMaker>) {
    await page.fill('#f-uscc', String(c.uscc));
    await page.fill('#f-name', String(c.name));
    await page.selectOption('#p-district', String(c.district));
    await page.fill('#p-industry', String(c.industry));
    await page.fill('#p-established', String(c.establishedOn));
    await page.fill('#p-employees', String(c.employees));
    await page.fill('#p-revenue', String(c.annualRevenue));
    await page.fill('#p-assets', String(c.totalAssets));
    await page.fill('#p-amount', '1000000');
    await page.fill('#p-purpose', '采购原材料');
  }
  async function expectAccessible(name: string) {
    const found = await axeViolations(page);
    expect(found, found.join('\n')).to.deep.equal([]);
    await screenshot(page, name);
  }

  it('records a consultation in the ledger and counts it by week', async () => {
    await page.goto(`${app.baseUrl}/desk/consultations`);
    await page.waitForSelector('#ledger tbody');
    await page.fill('#f-uscc', String(hardwareMaker().uscc));
    await page.fill('#f-name', '肇庆市端州区星湖印刷有限公司');
    await page.fill('#f-contact', '陈女士');
    await page.fill('#f-phone', '138-2658-1234');
    await page.fill('#f-topics', '首贷，信用贷款');
    await page.selectOption('#f-outcome', 'coaching');
    await page.fill('#f-note', '纳税信用等级待修复');
    await page.click('#cons-form button[type=submit]');
    await page.waitForSelector('[data-consultation]');
    expect(await page.textContent('#ledger tbody')).to.include('肇庆市端州区星湖印刷有限公司').and.include('138****1234').and.include('转信用辅导');
    expect(await page.textContent('[data-week=total]')).to.include('1');
    await expectAccessible('desk-services-consultations');
    // The dashboard counts it by outcome and links to the ledger (in a tab of its own, closed after).
    const dash = await page.context().newPage();
    await dash.goto(`${app.baseUrl}/desk`);
    await dash.waitForSelector('[data-consultations="1"]');
    expect(await dash.textContent('[data-outcome=coaching]')).to.include('1');
    await dash.waitForSelector('body[data-reports=loaded]');
    await screenshot(dash, 'desk-services-dashboard-card');
    await dash.close();
  });

  it('opens a coaching case from a near miss: the failed criteria become gaps with a plan and a date', async () => {
    await page.goto(`${app.baseUrl}/desk/coaching`);
    await page.waitForSelector('#cases thead');
    await fillProfile(hardwareMaker({ establishedOn: '2025-09-01', name: '肇庆市高要区新开五金有限公司' }));
    await page.click('#match-form button[type=submit]');
    await page.waitForSelector('[data-miss] input');
    await page.locator('[data-miss] input').first().check();
    await page.waitForSelector('[data-plan]');
    for (const plan of await page.locator('[data-plan]').all()) await plan.fill('持续经营满期限后协助申请');
    await page.click('#case-form button[type=submit]');
    await page.waitForSelector('[data-case][data-status=open]');
    expect(await page.textContent('#cases tbody')).to.include('肇庆市高要区新开五金有限公司').and.include('持续经营满期限后协助申请');
    await expectAccessible('desk-services-coaching');
  });

  it('files an assisted application with the owner and gets the consent link', async () => {
    await page.goto(`${app.baseUrl}/desk/assisted`);
    await page.waitForSelector('#assisted thead');
    await fillProfile(hardwareMaker());
    await page.fill('#f-contact', '梁伟');
    await page.fill('#f-phone', OWNER_PHONE);
    await page.click('#match-form button[type=submit]');
    await page.waitForSelector('[data-eligible] input');
    await page.locator('[data-eligible] input').first().check();
    await page.click('#send-form button[type=submit]');
    await page.waitForSelector('#consent-link');
    consentUrl = (await page.getAttribute('#consent-link', 'href'))!;
    expect(consentUrl).to.match(/\/consent\/[\w-]{32}$/);
    await page.waitForSelector('[data-assisted][data-status=awaiting_consent]');
    await expectAccessible('desk-services-assisted');
    expect(notFound.filter((p) => !p.startsWith('/api/companies/'))).to.deep.equal([]);
    expect(errors.filter((e) => !/status of 404/.test(e)), errors.join('\n')).to.deep.equal([]);
  });

  it('the owner confirms it on a 390 px phone with an SMS code, and the bank sees the lead', async () => {
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    const phoneErrors = watchPage(phone).errors;
    await phone.goto(`${app.baseUrl}/consent/${consentUrl.split('/consent/')[1]}`);
    await phone.waitForSelector('[data-recipient]');
    const ask = await phone.textContent('#ask');
    expect(ask).to.include('王专窗').and.include('统一社会信用代码').and.include('180');
    expect(await phone.textContent('label[for=c-phone]')).to.include('139****1234');
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).to.be.at.most(390);
    const found = await axeViolations(phone);
    expect(found, found.join('\n')).to.deep.equal([]);
    await screenshot(phone, 'desk-services-consent-phone');
    // In English too: the page's own words switch; bank, product and company names stay as they are.
    await phone.click('[data-lang-switch]');
    expect(await phone.textContent('h1')).to.equal('Confirm your financing request');
    expect(await phone.textContent('#ask')).to.include('Recipient banks and products').and.include('Contact details are kept for 180 days');
    expect(await phone.textContent('label[for=c-phone]')).to.equal('Your mobile number (139****1234)');
    await screenshot(phone, 'desk-services-consent-phone-en');
    await phone.click('[data-lang-switch]');

    await phone.fill('#c-phone', OWNER_PHONE);
    await phone.click('#send-code');
    await phone.waitForFunction(() => document.querySelector('#code-note')?.textContent !== '');
    const [sms] = await app.db.select().from(smsMessages).where(and(eq(smsMessages.phone, OWNER_PHONE), eq(smsMessages.template, 'code'))).orderBy(desc(smsMessages.id)).limit(1);
    const code = /验证码(\d{6})/.exec(sms!.text)![1]!;
    await phone.fill('#c-code', code);
    await phone.click('#confirm-form button[type=submit]');
    await phone.waitForSelector('#tracking-link');
    await screenshot(phone, 'desk-services-consent-done');
    expect(phoneErrors).to.deep.equal([]);

    // The bank of the chosen product sees the lead, like any self-made request.
    const assisted = (await app.call('GET', '/api/applications/assisted?status=confirmed', { token: await tokenFor(app, { username: 'wang.desk' }) })).body.items[0];
    const bankId = assisted.recipients[0].bankId as number;
    const officer = await buildUser(app.db, { role: 'bank_admin', bankId });
    const leads = (await app.call('GET', '/api/leads?pageSize=50', { token: await tokenFor(app, officer) })).body.items as { applicationId?: number; id: number }[];
    expect(leads.length).to.be.at.least(1);
  });
});
