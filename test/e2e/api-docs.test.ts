import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser';

describe('API reference page /api/docs (browser)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let browser: Browser;

  before(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('draws every operation of the document under the CSP, in Chinese first and in English on the switch', async () => {
    const doc = (await app.call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watched = watchPage(page);
    await page.goto(`${app.baseUrl}/api/docs`);
    await page.waitForSelector('details.op');
    expect(await page.locator('details.op').count()).to.equal(operations);
    const claim = page.locator('#postLeadsIdClaim summary');
    expect(await claim.textContent()).to.contain('受理线索');
    await page.locator('#postLeadsIdClaim summary').click();
    expect(await page.locator('#postLeadsIdClaim').textContent()).to.contain('bank_admin');
    await page.locator('#postApplications summary').click();
    expect(await page.locator('#postApplications pre').first().textContent()).to.contain('"productIds"');
    await page.click('[data-lang-switch]');
    expect(await claim.textContent()).to.contain('Accept a lead');
    expect(await page.textContent('h1')).to.equal('API reference');
    await screenshot(page, 'api-docs');
    expect(watched.errors).to.deep.equal([]);
  });
});
