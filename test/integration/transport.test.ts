import { expect } from 'chai';
import { startTestApp, type TestApp } from '../helpers/app';

/** What a phone on a slow network gets: compressed answers, and bundles it can keep for a year. */
describe('transport: compression and caching', function () {
  this.timeout(60_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const get = (path: string, encoding = 'gzip, deflate, br') => fetch(`${app.baseUrl}${path}`, { headers: { 'accept-encoding': encoding } });

  async function bundleOf(page: string): Promise<string> {
    const html = await (await get(page)).text();
    const src = /<script type="module" src="(\/assets\/[\w-]+\.js)"/.exec(html)?.[1];
    expect(src, `${page} names a bundle`).to.be.a('string');
    return src!;
  }

  describe('GET a page', () => {
    it('names content-hashed bundles and stylesheet, and is revalidated on every visit', async () => {
      const res = await get('/apply');
      expect(res.headers.get('cache-control')).to.equal('no-cache');
      const html = await res.text();
      expect(html).to.match(/src="\/assets\/apply-[A-Z0-9]{8}\.js"/).and.match(/href="\/assets\/styles-[0-9a-f]{10}\.css"/);
      expect(html).not.to.contain('"/assets/apply.js"');
    });

    it('answers an unknown page with the 404 page, also with hashed links', async () => {
      const res = await get('/no-such-page');
      expect(res.status).to.equal(404);
      expect(await res.text()).to.match(/\/assets\/plain-[A-Z0-9]{8}\.js/);
    });
  });

  describe('GET a hashed bundle', () => {
    it('is cached for a year as immutable', async () => {
      for (const page of ['/', '/apply', '/staff/login']) {
        const res = await get(await bundleOf(page));
        expect(res.status, page).to.equal(200);
        expect(res.headers.get('cache-control'), page).to.equal('public, max-age=31536000, immutable');
      }
    });

    it('is compressed with brotli or gzip, whichever the client accepts', async () => {
      const bundle = await bundleOf('/');
      expect((await get(bundle, 'br')).headers.get('content-encoding')).to.equal('br');
      expect((await get(bundle, 'gzip')).headers.get('content-encoding')).to.equal('gzip');
      expect((await get(bundle, 'identity')).headers.get('content-encoding')).to.equal(null);
    });
  });

  describe('GET /api/openapi.json (a large JSON answer)', () => {
    it('is compressed', async () => {
      const res = await get('/api/openapi.json', 'gzip');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-encoding')).to.equal('gzip');
      expect((await res.json()).openapi).to.match(/^3\.1/);
    });
  });
});
