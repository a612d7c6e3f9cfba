import { expect } from 'chai';
import { startTestApp, type TestApp } from '../helpers/app';
import { buildUser, TEST_PASSWORD } from '../helpers/factories';

/** Security headers, CORS closed by default, and CSRF protection for writes made with the session cookie. */
describe('security headers, CORS and CSRF', function () {
  this.timeout(60_000);
  let app: TestApp;
  let cookie: string;

  before(async () => {
    app = await startTestApp();
    const desk = await buildUser(app.db, { role: 'desk' });
    const res = await fetch(`${app.baseUrl}/api/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: desk.username, password: TEST_PASSWORD }),
    });
    expect(res.status).to.equal(200);
    cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect(cookie).to.match(/^rongma_session=/);
  });
  after(() => app.close());

  it('sends a CSP allowing only this origin, and the usual hardening headers, on pages and the API', async () => {
    for (const path of ['/', '/desk', '/api/products']) {
      const res = await fetch(`${app.baseUrl}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).to.include("default-src 'self'").and.include("script-src 'self'").and.include("frame-ancestors 'none'").and.include("object-src 'none'");
      expect(csp, path).to.not.include('unsafe-eval').and.not.include('upgrade-insecure-requests'); // plain HTTP here
      expect(res.headers.get('x-content-type-options'), path).to.equal('nosniff');
      expect(res.headers.get('strict-transport-security'), path).to.equal(null);
      expect(res.headers.get('x-powered-by'), path).to.equal(null);
    }
  });

  it('turns HSTS and upgrade-insecure-requests on behind HTTPS', async () => {
    const secure = await startTestApp({ config: { publicBaseUrl: 'https://rongma.example.gov.cn' } });
    try {
      const res = await fetch(`${secure.baseUrl}/healthz`);
      expect(res.headers.get('strict-transport-security')).to.match(/max-age=31536000/);
      expect(res.headers.get('content-security-policy')).to.include('upgrade-insecure-requests');
    } finally {
      await secure.close();
    }
  });

  it('answers no other origin with CORS headers unless it is configured', async () => {
    const evil = { Origin: 'https://evil.example' };
    const get = await fetch(`${app.baseUrl}/api/products`, { headers: evil });
    expect(get.status).to.equal(200);
    expect(get.headers.get('access-control-allow-origin')).to.equal(null);
    const preflight = await fetch(`${app.baseUrl}/api/applications`, { method: 'OPTIONS', headers: { ...evil, 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal(null);

    const open = await startTestApp({ config: { corsOrigins: ['https://portal.example.gov.cn'] } });
    try {
      const listed = await fetch(`${open.baseUrl}/api/applications`, { method: 'OPTIONS', headers: { Origin: 'https://portal.example.gov.cn', 'Access-Control-Request-Method': 'POST' } });
      expect(listed.status).to.equal(204);
      expect(listed.headers.get('access-control-allow-origin')).to.equal('https://portal.example.gov.cn');
      expect(listed.headers.get('access-control-allow-headers')).to.include('Authorization');
      expect(listed.headers.get('access-control-allow-credentials')).to.equal(null); // never cookies across sites
      const other = await fetch(`${open.baseUrl}/api/products`, { headers: evil });
      expect(other.headers.get('access-control-allow-origin')).to.equal(null);
    } finally {
      await open.close();
    }
  });

  it('refuses a write with the session cookie that does not come from our pages, and writes nothing', async () => {
    const body = JSON.stringify({ name: '跨站伪造的渠道', kind: 'event' });
    const post = (headers: Record<string, string>) => fetch(`${app.baseUrl}/api/channels`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, ...headers }, body });
    const before = (await app.call('GET', '/api/channels', { token: await deskToken() })).body.items.length;

    const forged: Record<string, string>[] = [{}, { 'X-Requested-With': 'fetch', Origin: 'https://evil.example' }, { 'X-Requested-With': 'fetch', 'Sec-Fetch-Site': 'cross-site' }];
    for (const headers of forged) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).to.equal(403);
      expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect((await res.json()).code).to.equal('csrf');
    }
    expect((await app.call('GET', '/api/channels', { token: await deskToken() })).body.items.length).to.equal(before);

    const own = await post({ 'X-Requested-With': 'fetch', Origin: app.baseUrl, 'Sec-Fetch-Site': 'same-origin' });
    expect(own.status).to.equal(201);
    // Reads with the cookie, and bearer-token writes, need no header.
    expect((await fetch(`${app.baseUrl}/api/auth/me`, { headers: { Cookie: cookie } })).status).to.equal(200);
    const bearer = await app.call('POST', '/api/channels', { token: await deskToken(), body: { name: '令牌创建的渠道', kind: 'event' } });
    expect(bearer.status).to.equal(201);
  });

  async function deskToken() {
    const desk = await buildUser(app.db, { role: 'desk' });
    const res = await app.call('POST', '/api/auth/login', { body: { username: desk.username, password: TEST_PASSWORD } });
    return res.body.token as string;
  }
});
