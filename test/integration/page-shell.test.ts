import { expect } from 'chai';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildBank, buildUser, tokenFor } from '../helpers/factories';

/** The pages as served: each page's own body in the one shell that scripts/build.mjs assembles around it. */
describe('GET a page › the page shell assembled at build time', function () {
  this.timeout(60_000);
  let app: TestApp;
  let desk: string;
  let bankAdmin: string;
  before(async () => {
    app = await startTestApp();
    desk = await tokenFor(app, await buildUser(app.db, { role: 'desk' }));
    bankAdmin = await tokenFor(app, await buildUser(app.db, { role: 'bank_admin', bankId: (await buildBank(app.db)).id }));
  });
  after(() => app.close());

  const page = async (path: string, token?: string) => {
    const res = await fetch(`${app.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: 'manual' });
    expect(res.status, path).to.be.oneOf([200, 404]);
    return res.text();
  };
  const count = (html: string, s: string) => html.split(s).length - 1;

  const publicPages: [string, string][] = [['/', 'catalogue'], ['/apply', 'apply'], ['/staff/login', 'login'], ['/track/x', 'track'],
    ['/consent/x', 'consent'], ['/api/docs', 'api-docs'], ['/no-such-page', 'plain']];
  const deskPages = ['/desk', '/desk/products', '/desk/channels', '/desk/consultations', '/desk/coaching', '/desk/assisted'];

  it('gives every page one head, one top bar with one language switch, and its own hashed bundle and stylesheet', async () => {
    const all: [string, string, string | undefined][] = [...publicPages.map(([p, b]) => [p, b, undefined] as [string, string, undefined]),
      ['/bank', 'bank', bankAdmin], ...deskPages.map((p) => [p, p === '/desk' ? 'desk' : `desk-${p.split('/')[2]}`, desk] as [string, string, string])];
    for (const [path, bundle, token] of all) {
      const html = await page(path, token);
      expect(html, path).to.match(/^<!doctype html>\n<html lang="zh-CN">/);
      for (const once of ['<head>', '<header class="topbar">', 'data-lang-switch', '<link rel="stylesheet"', '<script type="module"', '<main'])
        expect(count(html, once), `${path}: ${once}`).to.equal(1);
      // Besides its bundle, a page may carry only the city's data block (not executed; the CSP allows it).
      expect(count(html, '<script '), `${path}: scripts`).to.equal(1 + count(html, '<script type="application/json" id="rongma-city">'));
      expect(html, path).to.match(new RegExp(`<script type="module" src="/assets/${bundle}-[A-Z0-9]{8}\\.js"></script>`));
      expect(html, path).to.match(/href="\/assets\/styles-[0-9a-f]{10}\.css"/).and.match(/href="\/assets\/favicon-[0-9a-f]{10}\.svg"/);
      expect(html, `${path}: no front matter left`).not.to.match(/^---$|^title:|#include/m);
    }
  });

  it('gives staff pages the signed-in user and sign-out, and only desk pages the desk nav, with this page marked current', async () => {
    for (const path of deskPages) {
      const html = await page(path, desk);
      expect(count(html, '<nav class="desk-nav"'), path).to.equal(1);
      expect(html, path).to.contain('id="who"').and.contain('id="logout"');
      expect([...html.matchAll(/<a href="([^"]+)" aria-current="page"/g)].map((m) => m[1]), path).to.deep.equal([path]);
    }
    const bank = await page('/bank', bankAdmin);
    expect(bank).to.contain('id="logout"').and.not.contain('desk-nav');
    for (const [path] of publicPages) expect(await page(path), path).not.to.contain('id="logout"').and.not.contain('desk-nav');
  });

  it('keeps the secret-bearing pages (tracking, consent) out of referrers and search engines, and no other', async () => {
    for (const [path] of publicPages) {
      const secret = path.startsWith('/track/') || path.startsWith('/consent/');
      expect((await page(path)).includes('<meta name="robots" content="noindex">'), path).to.equal(secret);
    }
  });

  it('serves the assembled pages only at their routes, not as files under /assets', async () => {
    const res = await fetch(`${app.baseUrl}/assets/pages/apply.html`);
    expect(res.status).to.equal(404);
  });
});
