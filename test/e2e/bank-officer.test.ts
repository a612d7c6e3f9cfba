import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { banks } from '../../models/banks';
import { users } from '../../models/users';
import { seedDemo } from '../../server/seed';
import { startTestApp, type TestApp } from '../helpers/app';
import { eligibleFor, hardwareMaker, need } from '../helpers/applications';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser';
import { buildUser, TEST_PASSWORD } from '../helpers/factories';

describe('an officer\'s day in the bank workspace (browser)', function () {
  this.timeout(120_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let leadId: number;
  let trackingToken: string;
  let bankIdA: number;

  before(async () => {
    app = await startTestApp();
    await seedDemo(app.db, { accounts: false });
    const bankId = (await app.db.select().from(banks).where(eq(banks.code, 'ABC')))[0]!.id;
    await buildUser(app.db, { role: 'bank_officer', bankId, username: 'wang.officer', name: '王经理' });
    await buildUser(app.db, { role: 'bank_admin', bankId, username: 'abc.boss', name: '农行管理员' });
    bankIdA = bankId;
    const company = hardwareMaker({ name: '肇庆市高要区金利五金制品有限公司' });
    const product = (await eligibleFor(app, company)).find((p) => p.bankId === bankId)!;
    const consent = (await app.call('GET', '/api/applications/consent')).body;
    const res = await app.call('POST', '/api/applications', { body: { company, contact: { name: '梁伟', phone: '13812345678' }, need, mode: 'chosen', productIds: [product.id], consent: { version: consent.version, banks: [bankId] } } });
    leadId = res.body.leads[0].id;
    trackingToken = res.body.trackingToken;
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('signs in, accepts the lead, logs contact, approves with terms and sees the history', async () => {
    const watched = watchPage(page);
    await page.goto(`${app.baseUrl}/staff/login`);
    await page.fill('#username', 'wang.officer');
    await page.fill('#password', TEST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.baseUrl}/bank`);
    await page.click(`[data-lead-id="${leadId}"]`);
    await page.waitForSelector('#detail h2');
    expect(await page.textContent('#detail')).to.contain('138****5678');

    await page.click('[data-form=claim] button');
    await page.waitForSelector('#detail [data-status=claimed]');
    expect(await page.textContent('#detail')).to.contain('13812345678');

    await page.fill('[data-form=contact] input[name=note]', '已电话联系，约定周五上门');
    await page.click('[data-form=contact] button');
    await page.waitForSelector('#detail [data-status=contacted]');

    await page.fill('[data-form=approve] input[name=amount]', '100');
    await page.fill('[data-form=approve] input[name=ratePct]', '3.45');
    await page.fill('[data-form=approve] input[name=termMonths]', '12');
    await page.selectOption('[data-form=approve] select[name=guaranteeType]', 'credit');
    await page.click('[data-form=approve] button');
    await page.waitForSelector('#detail [data-status=approved]');
    expect(await page.textContent('#detail')).to.contain('3.45%');
    expect(await page.locator('#history li').count()).to.equal(4);
    await screenshot(page, 'bank-officer-approved');

    const tracked = await app.call('GET', `/api/applications/track/${trackingToken}`);
    expect(tracked.body.leads[0]).to.deep.include({ status: 'approved', terms: { amount: 1_000_000, ratePct: 3.45, termMonths: 12, guaranteeType: 'credit' } });
    expect(watched.errors).to.deep.equal([]);
  });

  it('lets the bank admin add an officer, route Gaoyao leads round-robin, and assign a lead', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const admin = await context.newPage();
    const watched = watchPage(admin);
    await admin.goto(`${app.baseUrl}/staff/login`);
    await admin.fill('#username', 'abc.boss');
    await admin.fill('#password', TEST_PASSWORD);
    await admin.click('button[type=submit]');
    await admin.waitForURL(`${app.baseUrl}/bank`);
    await admin.click('[data-tab=settings]');
    await admin.waitForSelector('[data-form=officer]');
    await admin.fill('[data-form=officer] input[name=username]', 'li.officer');
    await admin.fill('[data-form=officer] input[name=name]', '李经理');
    await admin.fill('[data-form=officer] input[name=password]', 'first-password-1');
    const gaoyao = await admin.locator('[data-form=officer] select[name=branchId] option', { hasText: '高要' }).first().getAttribute('value');
    await admin.selectOption('[data-form=officer] select[name=branchId]', gaoyao!);
    await admin.click('[data-form=officer] button[type=submit]');
    await admin.waitForSelector('#officers li:has-text("li.officer")');

    await admin.selectOption('[data-form=routing] select[name=rule-441204]', gaoyao!);
    await admin.selectOption(`[data-form=routing] select[name=mode-${gaoyao}]`, 'round_robin');
    await admin.click('[data-form=routing] button[type=submit]');
    await admin.waitForFunction(() => !!document.querySelector('[data-form=routing]'));
    await admin.waitForTimeout(300);
    const routing = await app.call('GET', `/api/banks/${bankIdA}/routing`, { token: (await app.call('POST', '/api/auth/login', { body: { username: 'abc.boss', password: TEST_PASSWORD } })).body.token });
    expect(routing.body.rules).to.deep.equal([{ district: '441204', branchId: Number(gaoyao) }]);
    expect(routing.body.dispatch.find((d: { branchId: number }) => d.branchId === Number(gaoyao)).mode).to.equal('round_robin');
    await screenshot(admin, 'bank-admin-settings');

    // A new request from Gaoyao is routed to the branch and handed to its officer in turn.
    const company = hardwareMaker();
    const product = (await eligibleFor(app, company)).find((p) => p.bankId === bankIdA)!;
    const consent = (await app.call('GET', '/api/applications/consent')).body;
    const res = await app.call('POST', '/api/applications', { body: { company, contact: { name: '陈芳', phone: '13900001111' }, need, mode: 'chosen', productIds: [product.id], consent: { version: consent.version, banks: [bankIdA] } } });
    const routedId = res.body.leads[0].id;
    await admin.click('[data-tab=all]');
    await admin.click(`[data-lead-id="${routedId}"]`);
    await admin.waitForSelector('[data-form=assign]');
    expect(await admin.inputValue('[data-form=assign] select[name=officerId]')).to.equal(String((await app.db.select().from(users).where(eq(users.username, 'li.officer')))[0]!.id));
    const wang = (await app.db.select().from(users).where(eq(users.username, 'wang.officer')))[0]!;
    await admin.selectOption('[data-form=assign] select[name=officerId]', String(wang.id));
    await admin.click('[data-form=assign] button[type=submit]');
    await admin.waitForSelector('#detail [data-status=claimed]');
    expect(await admin.textContent('#history')).to.contain('分派');
    void leadId;
    expect(watched.errors).to.deep.equal([]);
    await context.close();
  });
});
