import { expect } from 'chai';
import { startTestApp, type TestApp } from '../helpers/app';
import { expectProblem } from '../helpers/expect';

describe('the error pipeline', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it('answers an unknown /api route with a problem+json 404', async () => {
    const res = await app.call('GET', '/api/no/such/thing');
    expectProblem(res, 404, 'route_not_found');
    expect(res.body.detail).to.contain('/api/no/such/thing');
  });

  it('answers malformed JSON with 400 and keeps serving', async () => {
    expectProblem(await app.call('POST', '/api/auth/login', { raw: '{"username": "a",' }), 400, 'malformed_json');
    expectProblem(await app.call('POST', '/api/auth/login', { raw: '"just a string"' }), 400, 'malformed_json');
    expect((await app.call('GET', '/healthz')).status).to.equal(200);
  });

  it('answers a body over 1 MB with 413 and keeps serving', async () => {
    const big = JSON.stringify({ username: 'x', password: 'y'.repeat(1_100_000) });
    expectProblem(await app.call('POST', '/api/auth/login', { raw: big }), 413, 'payload_too_large');
    expect((await app.call('GET', '/healthz')).status).to.equal(200);
  });

  it('treats a body of another content type as missing', async () => {
    const res = await app.call('POST', '/api/auth/login', { raw: 'username=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectProblem(res, 400, 'validation_error');
  });

  it('answers an unknown page with an HTML 404', async () => {
    const res = await app.call('GET', '/no-such-page');
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.match(/text\/html/);
    expect(res.text).to.contain('页面不存在');
  });

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    expect((await app.call('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id')).to.equal('abc-123');
    const made = (await app.call('GET', '/healthz', { headers: { 'x-request-id': 'bad id with spaces' } })).headers.get('x-request-id');
    expect(made).to.match(/^[0-9a-f-]{36}$/);
  });

  describe('when the database goes away', () => {
    it('answers 500 internal_error with nothing internal, /readyz 503, and /healthz still 200', async () => {
      const other = await startTestApp();
      await other.testDb.database.close();
      const res = await other.call('POST', '/api/auth/login', { body: { username: 'someone', password: 'whatever-pw' } });
      expectProblem(res, 500, 'internal_error');
      expect(res.body.detail).to.equal('An unexpected error occurred. It has been logged.');
      expect(res.text).not.to.match(/pglite|pool|closed|users/i);
      expectProblem(await other.call('GET', '/readyz'), 503, 'not_ready');
      expect((await other.call('GET', '/healthz')).status).to.equal(200);
      await other.close().catch(() => undefined);
    });
  });
});

describe('GET /readyz', () => {
  it('is 200 once the migrations are applied', async () => {
    const app = await startTestApp();
    try {
      const res = await app.call('GET', '/readyz');
      expect(res.status).to.equal(200);
      expect(res.body.status).to.equal('ready');
    } finally {
      await app.close();
    }
  });
});
