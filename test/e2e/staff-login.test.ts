import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app';
import { launchBrowser, screenshot, watchPage } from '../helpers/browser';
import { buildBank, buildUser, TEST_PASSWORD } from '../helpers/factories';
import type { UserRow } from '../../models/users';

describe('staff sign-in page (browser)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watched: { errors: string[] };
  let desk: UserRow;
  let officer: UserRow;

  before(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    desk = await buildUser(app.db, { role: 'desk', name: '陈专窗', username: 'chen.desk' });
    const bank = await buildBank(app.db);
    officer = await buildUser(app.db, { role: 'bank_officer', bankId: bank.id, name: '林经理', username: 'lin.officer' });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    watched = watchPage(page);
  });
  afterEach(() => context.close());

  async function signIn(username: string, password: string) {
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
  }

  it('signs a desk user in and lands on the desk dashboard, keeping the token out of page storage', async () => {
    await page.goto(`${app.baseUrl}/staff/login`);
    expect(await page.textContent('h1')).to.equal('工作人员登录');
    await signIn(desk.username, TEST_PASSWORD);
    await page.waitForURL(`${app.baseUrl}/desk`);
    await page.waitForSelector('#who:has-text("陈专窗")');
    expect(await page.textContent('#who')).to.contain('金融服务专窗');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    expect(stored).not.to.match(/eyJ/);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'rongma_session')).to.include({ httpOnly: true, sameSite: 'Strict' });
    await screenshot(page, 'staff-login-desk');
    expect(watched.errors).to.deep.equal([]);
  });

  it('shows a clear message for a wrong password and stays on the page', async () => {
    await page.goto(`${app.baseUrl}/staff/login`);
    await signIn(desk.username, 'not-the-password');
    await page.waitForSelector('#login-error:not([hidden])');
    expect(await page.textContent('#login-error')).to.equal('用户名或密码错误。');
    expect(page.url()).to.equal(`${app.baseUrl}/staff/login`);
    await screenshot(page, 'staff-login-wrong-password');
  });

  it('switches to English and remembers the choice', async () => {
    await page.goto(`${app.baseUrl}/staff/login`);
    await page.click('[data-lang-switch]');
    expect(await page.textContent('h1')).to.equal('Staff sign-in');
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    await page.reload();
    expect(await page.textContent('h1')).to.equal('Staff sign-in');
    await signIn(desk.username, 'not-the-password');
    await page.waitForSelector('#login-error:not([hidden])');
    expect(await page.textContent('#login-error')).to.equal('Wrong username or password.');
    await screenshot(page, 'staff-login-english');
  });

  it('sends a signed-out visitor of /bank to sign in, then back to /bank; sign-out ends the session', async () => {
    await page.goto(`${app.baseUrl}/bank`);
    await page.waitForURL(/\/staff\/login\?next=%2Fbank$/);
    await signIn(officer.username, TEST_PASSWORD);
    await page.waitForURL(`${app.baseUrl}/bank`);
    await page.waitForSelector('#who:has-text("林经理")');
    await screenshot(page, 'staff-bank-workspace');
    await page.click('#logout');
    await page.waitForURL(`${app.baseUrl}/staff/login`);
    await page.goto(`${app.baseUrl}/bank`);
    await page.waitForURL(/\/staff\/login/);
  });

  it('sends an officer who opens /desk to their own workspace', async () => {
    await page.goto(`${app.baseUrl}/staff/login?next=/desk`);
    await signIn(officer.username, TEST_PASSWORD);
    await page.waitForURL(`${app.baseUrl}/bank`);
  });

  describe('GET /staff/login?next=… › when next leads off this origin › lands on the role\'s home instead', () => {
    const hostile = ['/%09/evil.example/x', '//evil.example', 'https://evil.example/', '/\\evil.example', '/%5Cevil.example', '%2F%2Fevil.example', '/%0a/evil.example', 'javascript:alert(1)'];
    for (const next of hostile) {
      it(`stays on the origin for next=${next}`, async () => {
        let left = false;
        await context.route((url) => url.hostname.endsWith('evil.example'), (route) => {
          left = true;
          return route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>evil</h1>' });
        });
        await page.goto(`${app.baseUrl}/staff/login?next=${next}`);
        await signIn(desk.username, TEST_PASSWORD);
        await page.waitForURL((url) => url.pathname === '/desk' || url.hostname.includes('evil'));
        expect(new URL(page.url()).origin).to.equal(app.baseUrl);
        expect(page.url()).to.equal(`${app.baseUrl}/desk`);
        expect(left, 'no request reached the other origin').to.equal(false);
      });
    }
  });

  describe('GET /staff/login?next=… › when next is a path on this origin › follows it', () => {
    it('goes to /desk for next=/desk, keeping query and fragment', async () => {
      await page.goto(`${app.baseUrl}/staff/login?next=${encodeURIComponent('/desk?tab=overdue#list')}`);
      await signIn(desk.username, TEST_PASSWORD);
      await page.waitForURL(`${app.baseUrl}/desk?tab=overdue#list`);
    });
  });

  describe('POST /api/auth/login from the page › when this network has failed too often › says when to try again', () => {
    it('shows the per-network limit message, not a generic failure', async () => {
      const limited = await startTestApp();
      try {
        const user = await buildUser(limited.db, { role: 'desk', username: 'wang.desk' });
        let status = 0;
        for (let i = 0; i < 30 && status !== 429; i++) {
          status = (await limited.call('POST', '/api/auth/login', { body: { username: `nobody${i}`, password: 'wrong-password-x' } })).status;
        }
        expect(status, 'the address limit is reached').to.equal(429);
        await page.goto(`${limited.baseUrl}/staff/login`);
        await signIn(user.username, TEST_PASSWORD);
        await page.waitForSelector('#login-error:not([hidden])');
        expect(await page.textContent('#login-error')).to.match(/^本网络登录失败次数过多，请 \d{2}:\d{2} 后再试/);
        await screenshot(page, 'staff-login-rate-limited');
      } finally {
        await limited.close();
      }
    });
  });
});
