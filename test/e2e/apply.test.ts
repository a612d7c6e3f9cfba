import { expect } from 'chai';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { consents } from '../../models/applications';
import { seedDemo } from '../../server/seed';
import { startTestApp, type TestApp } from '../helpers/app';
import { uscc } from '../helpers/applications';
import { seedStoryCompany } from '../helpers/seed-story';
import { fillSeedStory, hardwareMakerForm } from '../helpers/apply-form';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser';
import { axeViolations } from '../helpers/axe';
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
    await page.fill('#uscc', company.slice(0, 17));
    expect(await page.textContent('#uscc-check')).to.equal('');
    await page.fill('#uscc', company.slice(0, 17) + (company[17] === '0' ? '1' : '0'));
    expect(await page.textContent('#uscc-check')).to.contain('代码有误');
    await fillSeedStory(page, { ...hardwareMakerForm(), uscc: company.toLowerCase() });
    expect(await page.textContent('#uscc-check')).to.equal('代码校验通过');
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
    for (let i = 0; i < 3; i++) await page.locator('[data-choose]').nth(i).check();
    await page.locator('[data-choose]').nth(3).click();
    expect(await page.isChecked('[data-choose] >> nth=3'), 'a fourth stays unticked').to.equal(false);
    expect(await page.textContent('#choose-note')).to.equal('最多选择 3 款产品。');
    await page.locator('[data-choose]').nth(2).uncheck();
    expect(await page.isHidden('#choose-note'), 'the limit note goes with the next change').to.equal(true);
    expect(await page.textContent('#chosen-count')).to.equal('已选 2/3');
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

  it('/apply › the seed story with 纳税信用等级 left at 不清楚, two wrong fields and a reload › submits to 农业银行 and tracks it', async () => {
    const watched = watchPage(page);
    const desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    const abc = (await app.call('GET', '/api/banks')).body.items.find((b: { code: string }) => b.code === 'ABC');
    const branchCode = (await app.call('POST', '/api/channels', { token: desk, body: { name: '农行高要支行', kind: 'branch', district: '441204', bankId: abc.id } })).body.code;
    const story = seedStoryCompany({ uscc: uscc() });
    await page.goto(`${app.baseUrl}/q/${branchCode}`);
    await page.waitForSelector('#channel:not([hidden])');
    expect(await page.inputValue('#district'), 'the branch\'s district pre-fills the form').to.equal('441204');
    expect(await page.inputValue('#tax'), '不清楚 is the default').to.equal('unknown');

    // mistake 1: a date in the future; mistake 2: 0.05万 (500 yuan), below any loan
    await fillSeedStory(page, { uscc: story.uscc, district: undefined, established: '2099-05-10', employees: '60人', revenue: '1200万', amount: '0.05' });
    await page.click('#profile button[type=submit]');

    await page.waitForSelector('#established-error');
    expect(await page.textContent('#established-error')).to.equal('请填写营业执照上的成立日期，不能晚于今天');
    expect(await page.textContent('#amount-error')).to.contain('至少 0.1 万元');
    expect(await page.getAttribute('#established', 'aria-invalid')).to.equal('true');
    expect(await page.evaluate(() => document.activeElement?.id), 'the first bad field has the focus').to.equal('established');
    expect(await page.textContent('#error')).to.contain('有 2 项需要修改');
    expect(await page.textContent('body')).not.to.match(/company\.|need\./);
    await screenshot(page, 'apply-seed-1-field-errors');
    expect(await axeViolations(page), 'axe: apply-seed-1-field-errors').to.deep.equal([]);

    await page.fill('#established', story.establishedOn);
    expect(await page.locator('#established-error').count(), 'fixed: its message goes').to.equal(0);
    expect(await page.locator('#amount-error').count()).to.equal(1);
    await page.fill('#amount', '400万');
    expect(await page.locator('.field-error').count()).to.equal(0);
    expect(await page.isHidden('#error')).to.equal(true);

    await page.reload();
    await page.waitForSelector('#name');
    expect(await page.inputValue('#name'), 'the draft survives a reload').to.equal(story.name);
    expect(await page.inputValue('#established')).to.equal(story.establishedOn);
    expect(await page.inputValue('#employees')).to.equal('60人');
    expect(await page.inputValue('#amount')).to.equal('400万');
    expect(await page.inputValue('#district')).to.equal('441204');
    expect(await page.isChecked('input[name=certifications][value=none]')).to.equal(true);
    expect(await page.isChecked('input[name=collateral][value=equipment]')).to.equal(true);
    await screenshot(page, 'apply-seed-2-restored');
    expect(await axeViolations(page), 'axe: apply-seed-2-restored').to.deep.equal([]);
    await page.click('#profile button[type=submit]');

    await page.waitForSelector('#step-2:not([hidden]) .result');
    const abcCard = page.locator('.result.eligible', { hasText: '首户e贷' }).filter({ hasText: '中国农业银行' });
    expect(await abcCard.count(), 'an 农业银行 product holding 400万 is among the choices').to.equal(1);
    expect(await page.locator('.result.eligible').count()).to.be.at.least(3);
    expect(await page.locator('.result.eligible', { hasText: '科技贷' }).count(), 'no tech loan the company cannot use').to.equal(0);
    expect(await page.locator('.result.ineligible .tag', { hasText: '匹配度' }).count(), 'no score on a product one cannot apply for').to.equal(0);
    expect(await abcCard.locator('[data-choose]').isChecked(), 'the scanned branch\'s bank: its best product comes ticked').to.equal(true);
    expect(await page.textContent('#chosen-count')).to.equal('已选 1/3');
    await page.selectOption('#sort', 'rate');
    const rates = (await page.locator('.result.eligible > p.muted').allTextContents()).map((x) => Number(/(\d+\.\d+)%/.exec(x)![1]));
    expect(rates).to.deep.equal([...rates].sort((a, b) => a - b));
    expect(await page.locator('.result.eligible > p.muted').first().textContent(), 'rates with their LPR spread').to.match(/（LPR \+ \d+~\d+ bp）$/);
    await page.selectOption('#sort', 'fit');
    await abcCard.locator('[data-choose]').check();
    await page.locator('.result.eligible', { hasText: '五金产业贷' }).locator('[data-choose]').check();
    expect(await page.textContent('#chosen-count')).to.equal('已选 2/3');
    const bar = await page.locator('#choose-bar').boundingBox();
    expect(bar!.y + bar!.height, 'the bar stays on screen').to.be.at.most(844 + 1);
    await screenshot(page, 'apply-seed-3-matches');
    expect(await axeViolations(page), 'axe: apply-seed-3-matches').to.deep.equal([]);
    await page.click('#to-consent');

    await page.waitForSelector('#step-3:not([hidden])');
    await page.fill('#contact-name', '梁伟');
    await page.fill('#phone', '138-2658-1234');
    expect(await axeViolations(page), 'axe: consent step').to.deep.equal([]);
    for (let i = 0; i < await page.locator('[data-consent-bank]').count(); i++) await page.locator('[data-consent-bank]').nth(i).check();
    await page.click('#consent-form button[type=submit]');
    await page.waitForSelector('#step-4:not([hidden])');
    expect(await page.evaluate(() => localStorage.getItem('rongma.apply.draft.v1')), 'the draft is cleared once sent').to.equal(null);
    await screenshot(page, 'apply-seed-4-done');
    expect(await axeViolations(page), 'axe: apply-seed-4-done').to.deep.equal([]);
    await page.click('#tracking-open');

    await page.waitForSelector('#leads .result');
    expect(await page.locator('#leads .result').count()).to.equal(2);
    expect(await page.textContent('#leads')).to.contain('中国农业银行');
    expect(await page.textContent('#summary')).to.contain('138****1234');
    const year = String(new Date().getUTCFullYear());
    expect(await page.textContent('#overall')).to.equal('等待银行受理');
    const abcOnTrack = page.locator('#leads .result', { hasText: '中国农业银行' });
    expect(await abcOnTrack.locator('.due').textContent(), 'the bank\'s deadline in plain words, with the year').to.match(new RegExp(`^银行应于 ${year}年\\d+月\\d+日 \\d{2}:\\d{2} 前受理$`));
    await page.waitForSelector('#link-qr-box:not([hidden])');
    const qr = PNG.sync.read(Buffer.from((await page.getAttribute('#link-qr', 'src'))!.split(',')[1]!, 'base64'));
    expect(jsQR(new Uint8ClampedArray(qr.data), qr.width, qr.height)?.data, 'the saved QR opens this very page').to.equal(page.url());
    expect(await page.getAttribute('#save-qr', 'download')).to.equal('rongma-tracking.png');
    await screenshot(page, 'apply-seed-5-tracking');
    expect(await axeViolations(page), 'axe: apply-seed-5-tracking').to.deep.equal([]);

    const abcLead = (await app.call('GET', '/api/leads', { token: desk })).body.items.find((l: { bankId: number }) => l.bankId === abc.id);
    expect((await app.call('GET', `/api/leads/${abcLead.id}`, { token: desk })).body.company.taxRating, 'banks read the rating as unknown').to.equal('unknown');
    const officer = await tokenFor(app, await buildUser(app.db, { role: 'bank_officer', bankId: abc.id }));
    const act = async (verb: string, body?: object) => {
      const res = await app.call('POST', `/api/leads/${abcLead.id}/${verb}`, { token: officer, body });
      expect(res.status, `${verb}: ${res.text}`).to.equal(200);
    };
    await act('claim');
    await act('contact', { note: '电话沟通' });
    await act('decision', { outcome: 'approved', amount: 4_000_000, ratePct: 3.2, termMonths: 12, guaranteeType: 'credit' });
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await act('disburse', { amount: 4_000_000, disbursedOn: today });
    await page.reload();
    await page.waitForSelector('#leads .result');
    expect(await page.textContent('#overall'), 'the overall status follows the leads').to.equal('已放款');
    expect(await abcOnTrack.textContent()).to.contain('年利率 3.20%').and.contain('(LPR + 20 bp)');
    expect(await abcOnTrack.locator('.disbursed').textContent()).to.match(new RegExp(`^已放款 400万元（${year}年\\d+月\\d+日）$`));
    await screenshot(page, 'apply-seed-6-disbursed');
    expect(await axeViolations(page), 'axe: apply-seed-6-disbursed').to.deep.equal([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).to.be.at.most(0);
    // The one 400 is the refused profile with the two mistakes, answered as designed.
    expect(watched.errors).to.deep.equal(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
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
    expect(await page.textContent('#not-found')).to.contain('链接可能不完整');
    expect(await page.locator('#not-found a[href="/apply"]').count()).to.equal(1);
    expect(await page.textContent('body')).not.to.contain('提交失败');
    expect(await page.isHidden('#link-qr-box'), 'no QR code for a link that opens nothing').to.equal(true);
    expect(await page.isHidden('#keep-link'), 'nor an offer to copy it').to.equal(true);
    await screenshot(page, 'track-not-found');
    expect(await axeViolations(page), 'axe: track-not-found').to.deep.equal([]);
  });
});
