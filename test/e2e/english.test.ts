import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../server/seed';
import { startTestApp, type TestApp } from '../helpers/app';
import { uscc } from '../helpers/applications';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser';
import { fillSeedStory } from '../helpers/apply-form';
import { axeViolations } from '../helpers/axe';
import { seedStoryCompany } from '../helpers/seed-story';

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g;

/**
 * The public pages in English: after the switch, no Chinese may remain outside data fields (bank,
 * product and company names, the person's name, and 中文 on the switch back).
 */
describe('the public pages in English (browser, 390×844)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let data: string[];

  before(async () => {
    app = await startTestApp();
    await seedDemo(app.db, { accounts: false });
    const banks = (await app.call('GET', '/api/banks')).body.items as { name: string; shortName: string }[];
    const products = (await app.call('GET', '/api/products?pageSize=200')).body.items as { name: string }[];
    data = [...banks.flatMap((b) => [b.name, b.shortName]), ...products.map((p) => p.name), '中文', '梁伟', '梁*'].sort((a, b) => b.length - a.length);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Chinese text on the page (title included) once the data fields are taken out. */
  async function chineseLeft(extra: string[] = []): Promise<string[]> {
    // Beside the rendered text: every option of every list, placeholders, labels for assistive technology and alt texts.
    const hidden = await page.evaluate(`[...document.querySelectorAll('option')].map((o) => o.textContent)
      .concat([...document.querySelectorAll('[placeholder]')].map((e) => e.getAttribute('placeholder')))
      .concat([...document.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label')))
      .concat([...document.querySelectorAll('img[alt]')].map((e) => e.getAttribute('alt'))).join('\\n')`) as string;
    let text = `${await page.title()}\n${await page.evaluate(() => document.body.innerText)}\n${hidden}`;
    for (const d of [...extra, ...data]) text = text.split(d).join(' ');
    return [...new Set(text.match(CJK) ?? [])];
  }

  it('/ (the catalogue) › in English › shows no Chinese outside data fields, 全部 and the title included', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    await page.goto(`${app.baseUrl}/`);
    await page.waitForSelector('#products article');
    await page.click('[data-lang-switch]');
    expect(await page.title()).to.equal('Bank credit products · Rongma');
    expect(await chineseLeft(), 'catalogue').to.deep.equal([]);
    expect(await axeViolations(page), 'axe: catalogue').to.deep.equal([]);
    await context.close();
  });

  it('/apply, every step, and /track › in English › show no Chinese outside data fields', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    page = await context.newPage();
    const watched = watchPage(page);
    const story = seedStoryCompany({ uscc: uscc() });
    await page.goto(`${app.baseUrl}/apply`);
    await page.click('[data-lang-switch]');
    expect(await page.title()).to.equal('Apply for finance · Rongma');
    expect(await chineseLeft(), 'profile step').to.deep.equal([]);
    expect(await axeViolations(page), 'axe: profile step').to.deep.equal([]);

    await fillSeedStory(page, { uscc: story.uscc, established: '2099-01-01', collateral: [] });
    await page.click('#profile button[type=submit]');
    await page.waitForSelector('#established-error');
    expect(await page.textContent('#established-error')).to.equal('Enter the date on the business licence; it cannot be later than today');
    expect(await chineseLeft([story.name]), 'field errors').to.deep.equal([]);
    expect(await axeViolations(page), 'axe: field errors').to.deep.equal([]);
    await page.fill('#established', story.establishedOn);
    await page.click('#profile button[type=submit]');

    await page.waitForSelector('#step-2:not([hidden]) .result');
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    expect(await chineseLeft(), 'results, reasons and hints').to.deep.equal([]);
    await screenshot(page, 'apply-english-matches');
    expect(await axeViolations(page), 'axe: apply-english-matches').to.deep.equal([]);
    await page.locator('[data-choose]').first().check();
    await page.click('#to-consent');
    await page.waitForSelector('#step-3:not([hidden])');
    expect(await chineseLeft(), 'consent step').to.deep.equal([]);
    expect(await axeViolations(page), 'axe: consent step').to.deep.equal([]);
    await page.fill('#contact-name', '梁伟');
    await page.fill('#phone', '13826581234');
    await page.locator('[data-consent-bank]').first().check();
    await page.click('#consent-form button[type=submit]');
    await page.waitForSelector('#step-4:not([hidden])');
    expect(await chineseLeft(), 'done step').to.deep.equal([]);
    expect(await axeViolations(page), 'axe: done step').to.deep.equal([]);
    await page.click('#tracking-open');
    await page.waitForSelector('#leads .result');
    expect(await page.title()).to.equal('Your request · Rongma');
    expect(await chineseLeft([story.name]), 'tracking page').to.deep.equal([]);
    await screenshot(page, 'track-english');
    expect(await axeViolations(page), 'axe: track-english').to.deep.equal([]);
    expect(watched.errors.filter((e) => !/status of 400/.test(e))).to.deep.equal([]);
    await context.close();
  });

  for (const [path, ready, name] of [
    ['/staff/login', '#username', 'staff-login-english'],
    ['/no-such-page', 'main', 'not-found-english'],
    ['/api/docs', '[data-operation], .operation, main h2', 'api-docs-english'],
  ] as const) {
    it(`${path} › in English › shows no Chinese, and axe finds nothing critical or serious in either language`, async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      page = await context.newPage();
      await page.goto(`${app.baseUrl}${path}`);
      await page.waitForSelector(ready);
      expect(await axeViolations(page), `axe: ${path} in Chinese`).to.deep.equal([]);
      await page.click('[data-lang-switch]');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await chineseLeft(), path).to.deep.equal([]);
      await screenshot(page, name);
      expect(await axeViolations(page), `axe: ${path} in English`).to.deep.equal([]);
      await context.close();
    });
  }
});
