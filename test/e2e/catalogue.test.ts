import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../server/seed';
import { startTestApp, type TestApp } from '../helpers/app';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser';
import { axeViolations } from '../helpers/axe';
import { seedStoryCompany } from '../helpers/seed-story';

describe('product catalogue page (browser, 390 px phone)', function () {
  this.timeout(90_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let watched: { errors: string[] };

  before(async () => {
    app = await startTestApp();
    await seedDemo(app.db);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    watched = watchPage(page);
  });
  afterEach(() => page.context().close());

  const count = async () => page.locator('#products article').count();

  it('lists the products, filters, compares two and switches to English', async () => {
    await page.goto(`${app.baseUrl}/`);
    await page.waitForSelector('#products article');
    expect(await page.textContent('#result-count')).to.equal('共 132 款产品');
    expect(await count()).to.equal(12);
    expect(await axeViolations(page), 'axe: catalogue').to.deep.equal([]);

    const api = await app.call('GET', '/api/products?type=tax');
    expect(api.body.total).to.be.within(20, 30);
    await page.selectOption('#f-type', 'tax');
    await page.waitForFunction((n) => document.querySelector('#result-count')?.textContent === `共 ${n} 款产品`, api.body.total);
    expect(page.url()).to.contain('type=tax');

    await page.selectOption('#f-district', '441204');
    const gaoyao = await app.call('GET', '/api/products?type=tax&district=441204');
    await page.waitForFunction((n) => document.querySelector('#result-count')?.textContent === `共 ${n} 款产品`, gaoyao.body.total);

    await page.fill('#f-amount', '200');
    const withAmount = await app.call('GET', '/api/products?type=tax&district=441204&amount=2000000');
    await page.waitForFunction((n) => document.querySelector('#result-count')?.textContent === `共 ${n} 款产品`, withAmount.body.total);
    expect(withAmount.body.total).to.be.greaterThan(0).and.lessThan(gaoyao.body.total);

    const first = page.locator('#products article').first();
    expect(await first.locator('.spread').textContent()).to.match(/^LPR \+ \d+~\d+ bp$/);

    await page.locator('[data-compare]').nth(0).check();
    await page.locator('[data-compare]').nth(1).check();
    expect(await page.textContent('#compare-count')).to.equal('已选 2/3 款产品');
    await page.click('#compare-open');
    await page.waitForSelector('#compare[open] .compare-table');
    expect(await page.locator('.compare-table thead th').count()).to.equal(3);
    await screenshot(page, 'catalogue-compare');
    await page.click('#compare-close');

    await page.click('[data-lang-switch]');
    expect(await page.textContent('h1')).to.equal('Bank credit products');
    expect(await page.textContent('#compare-count')).to.equal('2/3 products chosen');
    expect(await page.textContent('#result-count')).to.equal(`${withAmount.body.total} products`);
    expect(await first.locator('.tag').first().textContent()).to.equal('Tax-based loan');
    await screenshot(page, 'catalogue-english');
    expect(watched.errors).to.deep.equal([]);
  });

  it('allows at most three products in the comparison', async () => {
    await page.goto(`${app.baseUrl}/`);
    await page.waitForSelector('#products article');
    for (let i = 0; i < 3; i++) await page.locator('[data-compare]').nth(i).check();
    await page.locator('[data-compare]').nth(3).click();
    expect(await page.locator('[data-compare]').nth(3).isChecked()).to.equal(false);
    expect(await page.textContent('#compare-note')).to.contain('最多对比 3 款产品');
    await screenshot(page, 'catalogue-phone');
  });

  it('restores filters from a shared address and pages with "show more"', async () => {
    await page.goto(`${app.baseUrl}/?bankId=1`);
    await page.waitForSelector('#products article');
    expect(await page.inputValue('#f-bank')).to.equal('1');
    expect(await page.textContent('#result-count')).to.equal('共 8 款产品');

    await page.goto(`${app.baseUrl}/`);
    await page.waitForSelector('#products article');
    await page.click('#more');
    await page.waitForFunction(() => document.querySelectorAll('#products article').length === 24);
  });

  it('/ › 申请 on a product card › opens /apply with that product ticked once the match finds it eligible', async () => {
    const abc = (await app.call('GET', '/api/products?q=首户e贷')).body.items.find((p: { bankShortName: string }) => p.bankShortName === '农业银行');
    await page.goto(`${app.baseUrl}/?q=${encodeURIComponent('首户e贷')}`);
    await page.waitForSelector(`[data-apply="${abc.id}"]`);
    await page.click(`[data-apply="${abc.id}"]`);
    await page.waitForURL(`${app.baseUrl}/apply?p=${abc.id}`);
    const story = seedStoryCompany();
    await page.evaluate(() => localStorage.clear());
    await page.fill('#name', story.name);
    await page.fill('#uscc', story.uscc);
    await page.selectOption('#district', '441204');
    await page.selectOption('#industry', 'C33');
    await page.fill('#established', story.establishedOn);
    await page.fill('#employees', '60');
    await page.fill('#revenue', '1200');
    await page.fill('#amount', '400');
    await page.click('#profile button[type=submit]');
    await page.waitForSelector('#step-2:not([hidden]) .result');
    expect(await page.isChecked(`[data-choose="${abc.id}"]`)).to.equal(true);
    expect(await page.textContent('#chosen-count')).to.equal('已选 1/3');
    expect(watched.errors).to.deep.equal([]);
  });

  it('fits a 390 px screen without sideways scrolling', async () => {
    await page.goto(`${app.baseUrl}/`);
    await page.waitForSelector('#products article');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).to.be.at.most(0);
  });

  it('shows the demo accounts on the sign-in page of a demo installation', async () => {
    await page.goto(`${app.baseUrl}/staff/login`);
    await page.waitForSelector('#demo:not([hidden])');
    await page.click('[data-username="abc.officer"]');
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.baseUrl}/bank`);
  });
});
