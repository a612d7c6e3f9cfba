import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { banks } from '../../models/banks';
import { slaCheck } from '../../server/jobs/sla-check';
import { seedDemo } from '../../server/seed';
import { jobDeps, startTestApp, TestClock, type TestApp } from '../helpers/app';
import { sh } from '../helpers/time';
import { requestAtBank } from '../helpers/applications';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser';
import type { UserRow } from '../../models/users';
import { buildUser, TEST_PASSWORD, tokenFor } from '../helpers/factories';

describe('a lead nobody accepted, passed to another bank (browser)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let browser: Browser;
  let leadId: number;
  let trackingToken: string;
  let deskUser: UserRow;

  before(async () => {
    app = await startTestApp({ clock: new TestClock(sh('2026-03-02T10:00')) });
    await seedDemo(app.db, { accounts: false });
    const bankA = (await app.db.select().from(banks).where(eq(banks.code, 'ABC')))[0]!.id;
    await buildUser(app.db, { role: 'bank_admin', bankId: bankA, username: 'abc.boss', name: '农行管理员' });
    deskUser = await buildUser(app.db, { role: 'desk', username: 'chen.desk', name: '陈专窗' });
    ({ leadId, trackingToken } = await requestAtBank(app, bankA));
    app.clock.set(sh('2026-03-05T10:30')); // Thursday: past the acceptance deadline and the escalation one
    await slaCheck.run(jobDeps(app));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signIn(page: Page, username: string, landing: string) {
    await page.goto(`${app.baseUrl}/staff/login`);
    await page.fill('#username', username);
    await page.fill('#password', TEST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.baseUrl}${landing}`);
  }

  it('the desk asks the applicant, the applicant agrees on the phone, the first bank is told', async () => {
    const desk = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const deskWatch = watchPage(desk);
    await signIn(desk, 'chen.desk', '/desk');
    const card = `[data-queue-lead="${leadId}"]`;
    await desk.waitForSelector(card);
    // The KPI cards say what the report API says (one request so far, its acceptance deadline missed).
    await desk.waitForSelector('[data-kpi=leads] strong');
    const summary = (await app.call('GET', '/api/reports/summary', { token: await tokenFor(app, deskUser) })).body;
    expect(summary).to.include({ applications: 1, leads: 1 });
    expect(await desk.textContent('[data-kpi=applications] strong')).to.equal(String(summary.applications));
    expect(await desk.textContent('[data-kpi=leads] strong')).to.equal(String(summary.leads));
    expect(await desk.textContent('[data-kpi=acceptWithinSla] strong')).to.equal(`${summary.sla.accept.withinSlaPct}%`);
    expect(await desk.textContent('[data-kpi=approvalRate] strong')).to.equal('—');
    const ask = desk.locator(`${card} [data-reassign-product]`).first();
    const bankName = (await ask.textContent())!.replace('征求同意转给', '').trim();
    await ask.click();
    await desk.waitForSelector(`${card} [data-cancel-offer]`);
    expect(await desk.textContent(card)).to.contain('等待申请人答复');
    await screenshot(desk, 'desk-reassignment-queue');
    expect(deskWatch.errors).to.deep.equal([]);

    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    const phoneWatch = watchPage(phone);
    await phone.goto(`${app.baseUrl}/track/${trackingToken}`);
    await phone.waitForSelector('[data-offer-id]');
    expect(await phone.textContent('#offers')).to.contain(bankName);
    expect(await phone.isDisabled('[data-offer-accept]'), 'no hand-over before the consent box is ticked').to.equal(true);
    await phone.check('[name=offer-consent]');
    await phone.click('[data-offer-accept]');
    await phone.waitForSelector('#offers', { state: 'hidden' });
    await phone.waitForSelector('[data-lead-id][data-status=expired]');
    expect(await phone.locator('[data-lead-id]').count()).to.equal(2);
    expect(await phone.textContent('#leads')).to.contain(bankName);
    await screenshot(phone, 'track-offer-accepted');
    expect(phoneWatch.errors).to.deep.equal([]);

    await desk.reload();
    await desk.waitForSelector('#queue p.muted');
    expect(await desk.locator(card).count(), 'gone from the queue').to.equal(0);

    const bank = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const bankWatch = watchPage(bank);
    await signIn(bank, 'abc.boss', '/bank');
    await bank.waitForSelector('#notify-bell .count:not([hidden])');
    expect(Number(await bank.textContent('#notify-bell .count'))).to.be.at.least(2);
    await bank.click('#notify-bell');
    const notice = bank.locator('#notify-panel .notice.unread', { hasText: '转给其他银行' }).first();
    await notice.click();
    await bank.waitForSelector('#detail h2');
    expect(await bank.textContent('#detail')).to.contain('由专窗转交其他银行');
    expect(await bank.textContent('#detail')).not.to.contain(bankName);
    await bank.click('#notify-read-all');
    await bank.waitForSelector('#notify-bell .count', { state: 'hidden' });
    await screenshot(bank, 'bank-notifications');
    expect(bankWatch.errors).to.deep.equal([]);
  });
});
