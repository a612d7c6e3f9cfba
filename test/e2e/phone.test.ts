import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { smsDeliver } from '../../server/jobs/sms-deliver';
import { seedDemo } from '../../server/seed';
import { jobDeps, startTestApp, TestClock, type TestApp } from '../helpers/app';
import { uscc } from '../helpers/applications';
import { axeViolations } from '../helpers/axe';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser';
import { fillSeedStory, hardwareMakerForm } from '../helpers/apply-form';

describe('the applicant\'s phone (browser, 390×844)', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  const PHONE = '13812349876';

  before(async () => {
    // Development with the log provider: the page shows the code (devCode), as a newcomer would try it.
    app = await startTestApp({ clock: new TestClock(new Date('2026-12-01T02:00:00Z')), config: { phoneVerification: 'required', nodeEnv: 'development' } });
    await seedDemo(app.db, { accounts: false });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    page = await context.newPage();
  });
  afterEach(() => page.context().close());

  const fillProfile = () => fillSeedStory(page, { ...hardwareMakerForm(), uscc: uscc() });

  /** Asks for a code with the page's button and types the code the page shows (development only). */
  async function enterCode(prefix: string) {
    app.clock.advance(61_000); // one code a minute per phone
    await page.click(`#${prefix}-send`);
    await page.waitForFunction((id) => /\d{6}/.test(document.getElementById(id)?.textContent ?? ''), `${prefix}-note`);
    expect(await page.textContent(`#${prefix}-send`)).to.match(/秒后可重发/);
    const code = /\d{6}/.exec((await page.textContent(`#${prefix}-note`))!)![0];
    await page.fill(`#${prefix}-code`, code);
  }

  const noAxe = async () => expect(await axeViolations(page)).to.deep.equal([]);
  const noOverflow = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).to.be.at.most(0);

  it('/apply › verify the phone, submit, lose the tracking page, recover it by lookup; opt into a watch', async () => {
    const watched = watchPage(page);
    await page.goto(`${app.baseUrl}/apply`);
    await fillProfile();
    await page.click('#profile button[type=submit]');
    await page.waitForSelector('#step-2:not([hidden]) .result');
    await page.locator('[data-choose]').first().check();

    // The watch opt-in on the results.
    await page.click('#watch summary');
    await page.waitForFunction(() => (document.getElementById('watch-consent-text')?.textContent ?? '').includes('180'));
    await page.check('#watch-agree');
    await page.fill('#watch-phone', PHONE);
    await enterCode('watch');
    await page.click('#watch-submit');
    await page.waitForSelector('#watch-done');
    await screenshot(page, 'phone-1-watch');
    await noAxe();

    await page.click('#to-consent');
    await page.waitForSelector('#step-3:not([hidden])');
    for (const box of await page.locator('[data-consent-bank]').all()) await box.check();
    await page.fill('#contact-name', '梁伟');
    await page.fill('#phone', PHONE);
    await page.click('#consent-form button[type=submit]');
    // The page asks for the code after an await: wait for its message rather than reading at once.
    await page.waitForFunction(() => /\d/.test(document.getElementById('error')?.textContent ?? ''));
    expect(await page.textContent('#error'), 'no code, no request').to.match(/\d/);
    await enterCode('apply');
    await screenshot(page, 'phone-2-code');
    await noAxe();
    await noOverflow();
    await page.click('#consent-form button[type=submit]');
    await page.waitForSelector('#step-4:not([hidden])');
    const trackingUrl = await page.inputValue('#tracking-url');
    await smsDeliver.run(jobDeps(app));

    // The tracking page is lost: a fresh /apply, 找回我的申请.
    await page.goto(`${app.baseUrl}/apply`);
    await page.click('#lookup summary');
    await page.fill('#lookup-phone', PHONE);
    await enterCode('lookup');
    await page.click('#lookup-find');
    await page.waitForSelector('[data-lookup-link]');
    await screenshot(page, 'phone-3-lookup');
    await noAxe();
    await page.click('[data-lookup-link]');
    await page.waitForURL(new URL(trackingUrl).pathname.replace(/^/, app.baseUrl));
    await page.waitForSelector('#messages:not([hidden]) li');
    expect(await page.textContent('#message-list')).to.contain('已提交给银行');
    await screenshot(page, 'phone-4-track');
    await noAxe();
    await noOverflow();
    expect(watched.errors.filter((e) => !/status of 4\d\d/.test(e))).to.deep.equal([]);
  });
});
