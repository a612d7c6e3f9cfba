import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { banks } from '../../models/banks';
import { leads } from '../../models/leads';
import { users } from '../../models/users';
import { shanghaiDate } from '../../server/domain/lpr';
import { seedDemo } from '../../server/seed';
import { startTestApp, TestClock, type TestApp } from '../helpers/app';
import { axeViolations } from '../helpers/axe';
import { hardwareMaker, requestAtBank } from '../helpers/applications';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser';
import { buildUser, TEST_PASSWORD } from '../helpers/factories';

const DAY = 86_400_000;

describe('an officer\'s day in the bank workspace (browser)', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: Browser;
  let bankA: number;
  let story: { leadId: number; trackingToken: string };
  let earlier: number;

  before(async () => {
    const now = Date.now();
    app = await startTestApp({ clock: new TestClock(new Date(now - 2 * DAY)) });
    await seedDemo(app.db, { accounts: false });
    bankA = (await app.db.select().from(banks).where(eq(banks.code, 'ABC')))[0]!.id;
    await buildUser(app.db, { role: 'bank_officer', bankId: bankA, username: 'wang.officer', name: '王经理' });
    await buildUser(app.db, { role: 'bank_admin', bankId: bankA, username: 'abc.boss', name: '农行管理员' });
    // A request two days old (its acceptance due first) and the seed story's, sent now.
    earlier = (await requestAtBank(app, bankA, { company: hardwareMaker({ name: '肇庆市端州区早到电子厂', district: '441202' }) })).leadId;
    app.clock.set(new Date(now));
    story = await requestAtBank(app, bankA, { company: hardwareMaker({ name: '肇庆市高要区金利五金制品有限公司', taxRating: 'unknown', certifications: ['specialized'] }) });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signIn(page: Page, username: string) {
    await page.goto(`${app.baseUrl}/staff/login`);
    await page.fill('#username', username);
    await page.fill('#password', TEST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.baseUrl}/bank`);
  }
  /** axe-core: no critical or serious finding. */
  async function expectAccessible(page: Page, where: string) {
    expect(await axeViolations(page), where).to.deep.equal([]);
  }
  const detail = (page: Page) => page.textContent('#detail');

  it('works a lead from the queue to disbursement: profile and clock, claim, contact, a refused empty rate, approve, amend, disburse; the applicant is asked to confirm 4.85%', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const watched = watchPage(page);
    page.on('dialog', (d) => void d.accept());
    await signIn(page, 'wang.officer');

    // Nothing held yet: the page opens on 待受理, by deadline, the older request first.
    await page.waitForSelector('[data-tab=new][aria-selected=true]');
    await page.waitForSelector(`[data-lead-id="${story.leadId}"]`);
    const order = await page.$$eval('[data-lead-id]', (bs) => bs.map((b) => Number((b as HTMLElement).dataset.leadId)));
    expect(order).to.deep.equal([earlier, story.leadId]);
    expect(await page.textContent('[data-tab=new]')).to.equal('待受理（2）');
    await expectAccessible(page, 'queue, zh');

    await page.click(`[data-lead-id="${story.leadId}"]`);
    await page.waitForSelector('#profile');
    const profile = await page.textContent('#profile');
    for (const s of ['统一社会信用代码', '小型', '未知', '首贷户', '专精特新', '4,500', '1,800']) expect(profile, s).to.contain(s.replace('4,500', '45').replace('1,800', '1800'));
    expect(await page.textContent('#sla-clock')).to.match(/^受理剩余 [\d.]+ 小时（工作时间）/);
    expect(await page.locator('#reasons li').count()).to.be.greaterThan(2);
    expect(await detail(page)).to.contain('138****5678');
    expect(await page.locator('#actions button.primary').count()).to.equal(1);
    await expectAccessible(page, 'lead, zh');

    await page.click('[data-form=claim] button.primary');
    await page.waitForSelector('#detail [data-status=claimed]');
    expect(await detail(page)).to.contain('13812345678');
    expect(await page.textContent('[data-tab=mine]')).to.equal('我的线索（1）');
    expect(await page.textContent('[data-tab=new]')).to.equal('待受理（1）');

    await page.fill('[data-form=contact] input[name=note]', '已电话联系，约定周五上门');
    await page.click('[data-form=contact] button.primary');
    await page.waitForSelector('#detail [data-status=contacted]');
    await page.click('[data-action=decline] summary');
    await expectAccessible(page, 'contacted lead with the decision and decline forms open, zh');

    // An empty rate is refused at its field; nothing reaches the server.
    await page.fill('[data-form=approve] input[name=ratePct]', '');
    await page.click('[data-form=approve] button.primary');
    await page.waitForSelector('[data-form=approve] [data-field=ratePct] .field-error:not([hidden])');
    expect(await page.textContent('[data-form=approve] [data-field=ratePct] .field-error')).to.contain('请填写年利率');
    expect(await page.getAttribute('[data-form=approve] input[name=ratePct]', 'aria-invalid')).to.equal('true');
    expect((await app.db.select().from(leads).where(eq(leads.id, story.leadId)))[0]!.status).to.equal('contacted');

    await page.fill('[data-form=approve] input[name=ratePct]', '5.16');
    expect(await page.textContent('[data-form=approve] [data-rate-note]')).to.match(/较 1 年期 LPR（3\.00%）\+216 个基点/);
    await page.click('[data-form=approve] button.primary');
    await page.waitForSelector('#detail [data-status=approved]');
    expect(await page.textContent('#terms')).to.contain('5.16%');
    await screenshot(page, 'bank-officer-1280-approved');

    await page.click('[data-action=amend] summary');
    await page.fill('[data-form=amend] input[name=ratePct]', '4.85');
    await page.fill('[data-form=amend] input[name=reason]', '利率录入有误，按审批书更正');
    await page.click('[data-form=amend] button');
    await page.waitForSelector('#history [data-event=amended]');
    await page.click('[data-action=amend] summary');
    await expectAccessible(page, 'approved lead with the amend form open, zh');
    expect(await page.textContent('#terms')).to.contain('4.85%');
    expect(await page.textContent('#history [data-event=amended]')).to.contain('5.16% · 12 个月 → ');

    const today = shanghaiDate(new Date());
    expect(await page.inputValue('[data-form=disburse] input[name=disbursedOn]')).to.equal(today);
    await page.click('[data-form=disburse] button.primary');
    await page.waitForSelector('#detail [data-status=disbursed]');
    // 征信核实 is still offered after the disbursement, until answered.
    await page.waitForSelector('[data-form=confirm_first_loan] [data-first-loan=true]');
    await screenshot(page, 'bank-officer-1280-disbursed');

    await page.click('[data-lang-switch]');
    await page.waitForFunction(() => document.querySelector('#profile-title')?.textContent === 'Company profile');
    await expectAccessible(page, 'lead, en');

    const track = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await track.goto(`${app.baseUrl}/track/${story.trackingToken}`);
    await track.waitForSelector('text=4.85%');
    expect(await track.locator('button', { hasText: '确认批复属实' }).count()).to.equal(1);
    await screenshot(track, 'bank-officer-track-390');
    expect(watched.errors).to.deep.equal([]);
  });

  it('is usable at 390 px: the queue, a lead with one primary action, and a decline that asks for the reason and a confirmation', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
    const watched = watchPage(page);
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.accept(); });
    await signIn(page, 'wang.officer');
    await page.click('[data-tab=new]');
    await page.click(`[data-lead-id="${earlier}"]`);
    await page.waitForSelector('#profile');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
    await expectAccessible(page, 'lead at 390 px');
    await screenshot(page, 'bank-officer-390-lead');
    await page.click('[data-form=claim] button.primary');
    await page.waitForSelector('#detail [data-status=claimed]');
    await page.click('[data-action=decline] summary');
    await page.click('[data-form=decline] button');
    await page.waitForSelector('[data-form=decline] [data-field=reasonCode] .field-error:not([hidden])');
    expect(dialogs).to.deep.equal([]);
    await page.selectOption('[data-form=decline] select[name=reasonCode]', 'collateral');
    await page.click('[data-form=decline] button');
    await page.waitForSelector('#detail [data-status=declined]');
    expect(dialogs).to.have.length(1);
    await screenshot(page, 'bank-officer-390-declined');
    expect(watched.errors).to.deep.equal([]);
  });

  it('gives the bank admin labelled settings (officers, routing, webhook, export) in both languages and lets them assign a lead', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const watched = watchPage(page);
    await signIn(page, 'abc.boss');
    await page.click('[data-tab=settings]');
    await page.waitForSelector('[data-form=routing]');
    await expectAccessible(page, 'settings, zh');
    await screenshot(page, 'bank-admin-settings-1280');
    await page.click('[data-lang-switch]');
    await page.waitForSelector('[data-form=routing]');
    await expectAccessible(page, 'settings, en');
    await page.click('[data-lang-switch]');

    const { leadId } = await requestAtBank(app, bankA);
    await page.click('[data-tab=all]');
    await page.click(`[data-lead-id="${leadId}"]`);
    await page.waitForSelector('[data-action=assign]');
    await expectAccessible(page, 'admin lead view');
    await page.click('[data-action=assign] summary');
    const wang = (await app.db.select().from(users).where(eq(users.username, 'wang.officer')))[0]!;
    await page.selectOption('[data-form=assign] select[name=officerId]', String(wang.id));
    await page.click('[data-form=assign] button');
    await page.waitForSelector('#detail [data-status=claimed]');
    expect(await page.textContent('#history')).to.contain('分派');
    expect(watched.errors).to.deep.equal([]);
  });
});
