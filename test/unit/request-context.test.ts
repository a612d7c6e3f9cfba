import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger, requestContext } from '../../server/logger';
import { loggablePath } from '../../server/middleware/request-context';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('logging', () => {
  it('stamps the request id on every line logged inside a request', async () => {
    const { lines, logger } = capture();
    await requestContext.run({ requestId: 'req-42' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      logger.info('inside');
    });
    logger.info('outside');
    expect(lines[0]).to.include({ reqId: 'req-42', msg: 'inside' });
    expect(lines[1]).not.to.have.property('reqId');
  });

  it('redacts passwords, tokens and phone numbers', () => {
    const { lines, logger } = capture();
    logger.info({ password: 'p', token: 't', contact: { phone: '13812345678' }, body: { password: 'q' } }, 'x');
    const text = JSON.stringify(lines[0]);
    expect(text).not.to.contain('13812345678');
    expect(text).not.to.match(/"(p|q|t)"/);
    expect(text).to.contain('[redacted]');
  });

  it('keeps tracking tokens and query strings out of logged paths', () => {
    expect(loggablePath('/api/applications/track/abcDEF123/withdraw?x=1')).to.equal('/api/applications/track/[redacted]/withdraw');
    expect(loggablePath('/track/abc')).to.equal('/track/[redacted]');
  });
});
