import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { consents } from '../../models/applications';
import { seedDemo } from '../../server/seed';
import { startTestApp, type TestApp } from '../helpers/app';
import { uscc } from '../helpers/applications';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser';
import { buildUser, tokenFor } from '../helpers/factories';

describe('the applicant\'s journey (browser, 390×844)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let code: string;

  before(async () => {
    app = await startTestApp();
    await seedDemo(app.db, { accounts: false });
    const desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    code = (await app.call('POST', '/api/channels', { token: desk, body: { name: '高要区政务服务中心融资专窗', kind: 'desk', district: '441204' } })).body.code;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
    page = await context.newPage();
  });
  afterEach(() => page.context().close());

  async function fillProfile(company: string) {
    await page.fill('#name', '肇庆市高要区金利五金制品有限公司');
    await page.fill('#uscc', company.slice(0, 17));
    expect(await page.textContent('#uscc-check')).to.equal('');
    await page.fill('#uscc', company.slice(0, 17) + (company[17] === '0' ? '1' : '0'));
    expect(await page.textContent('#uscc-check')).to.contain('代码有误');
    await page.fill('#uscc', company.toLowerCase());
    expect(await page.textContent('#uscc-check')).to.equal('代码校验通过');
    await page.selectOption('#district', '441204');
    await page.selectOption('#industry', 'C33');
    await page.fill('#established', '2019-05-10');
    await page.fill('#employees', '45');
    await page.fill('#revenue', '1800');
    await page.fill('#assets', '1200');
    await page.selectOption('#tax', 'B');
    await page.check('input[name=collateral][value=equipment]');
    await page.fill('#amount', '100');
    await page.selectOption('#term', '12');
    await page.fill('#purpose', '采购原材料');
  }

  it('scans, fills the profile, sees reasons, chooses two products, consents, and follows two leads', async () => {
    const watched = watchPage(page);
    await page.goto(`${app.baseUrl}/q/${code}`);
    await page.waitForURL(`${app.baseUrl}/apply?c=${code}`);
    await page.waitForSelector('#channel:not([hidden])');
    expect(await page.textContent('#channel')).to.contain('高要区政务服务中心融资专窗');
    await fillProfile(uscc());
    await screenshot(page, 'apply-1-profile');
    await page.click('#profile button[type=submit]');

    await page.waitForSelector('#step-2:not([hidden]) .result');
    expect(await page.textContent('#results-summary')).to.match(/为您匹配到 \d+ 款可申请的产品/);
    expect(await page.locator('.result.eligible .passed li.pass').count()).to.be.greaterThan(0);
    expect(await page.locator('.result.eligible .reasons li.fail').count()).to.equal(0);
    expect(await page.locator('.result.ineligible .reasons li.fail').count()).to.be.greaterThan(0);
    await page.locator('[data-choose]').nth(0).check();
    await page.locator('[data-choose]').nth(1).check();
    await screenshot(page, 'apply-2-matches');
    await page.click('#to-consent');

    await page.waitForSelector('#step-3:not([hidden])');
    const banks = await page.locator('[data-consent-bank]').count();
    expect(banks).to.be.within(1, 2);
    expect(await page.textContent('#consent-text')).to.contain('天').and.contain('撤回');
    await page.fill('#contact-name', '梁伟');
    await page.fill('#phone', '13812345678');
    await page.click('#consent-form button[type=submit]');
    expect(await page.textContent('#error')).to.contain('请勾选同意每一家接收银行');
    for (let i = 0; i < banks; i++) await page.locator('[data-consent-bank]').nth(i).check();
    // One standby bank, consented to in advance for the desk to pass the request on if needed.
    expect(await page.locator('[data-standby-bank]').count()).to.be.within(1, 5);
    await page.locator('[data-standby-bank]').first().check();
    await screenshot(page, 'apply-3-consent');
    await page.click('#consent-form button[type=submit]');

    await page.waitForSelector('#step-4:not([hidden])');
    const url = await page.inputValue('#tracking-url');
    expect(url).to.match(/\/track\/[\w-]{32}$/);
    expect(await page.textContent('#reference')).to.match(/^RM\d{11}$/);
    const recorded = await app.db.select().from(consents).where(eq(consents.purpose, 'standby'));
    expect(recorded.map((c) => c.bankId)).to.deep.equal([Number(await page.locator('[data-standby-bank]').first().getAttribute('value'))]);
    await screenshot(page, 'apply-4-done');
    await page.click('#tracking-open');

    await page.waitForSelector('#leads .result');
    expect(await page.locator('#leads .result').count()).to.equal(2);
    expect(await page.textContent('#summary')).to.contain('138****5678');
    for (const status of await page.locator('#leads .status-chip').allTextContents()) expect(status).to.equal('等待银行受理');
    await screenshot(page, 'track-two-leads');

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).to.be.at.most(0);
    expect(watched.errors).to.deep.equal([]);
  });

  it('shows the tracking page in English and lets the applicant withdraw', async () => {
    const company = uscc();
    await page.goto(`${app.baseUrl}/apply`);
    await fillProfile(company);
    await page.click('#profile button[type=submit]');
    await page.waitForSelector('[data-choose]');
    await page.locator('[data-choose]').nth(0).check();
    await page.click('#to-consent');
    await page.fill('#contact-name', '梁伟');
    await page.fill('#phone', '13812345678');
    await page.locator('[data-consent-bank]').nth(0).check();
    await page.click('#consent-form button[type=submit]');
    await page.waitForSelector('#step-4:not([hidden])');
    await page.click('#tracking-open');
    await page.waitForSelector('#leads .result');
    await page.click('[data-lang-switch]');
    expect(await page.textContent('h1')).to.equal('Your request');
    expect(await page.textContent('#leads .status-chip')).to.equal('Waiting for the bank');
    page.once('dialog', (d) => void d.accept());
    await page.click('#withdraw');
    await page.waitForSelector('#leads .result[data-status=withdrawn]');
    expect(await page.isHidden('#withdraw')).to.equal(true);
    await screenshot(page, 'track-withdrawn-english');
  });

  it('says kindly when a tracking link is wrong', async () => {
    await page.goto(`${app.baseUrl}/track/${'x'.repeat(32)}`);
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error')).to.contain('没有找到这个申请');
  });
});
