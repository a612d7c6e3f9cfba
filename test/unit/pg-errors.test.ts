import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger } from '../../server/logger';
import { problemHandler } from '../../server/middleware/problem';
import { isRetryableConflict, isUniqueViolation, sqlState } from '../../server/pg-errors';
import { expectProblem } from '../helpers/expect';

/** A database error as the driver and Drizzle hand it on: the SQLSTATE on the cause. */
const dbError = (code: string) => Object.assign(new Error('Failed query: update "products" …'), { cause: Object.assign(new Error('deadlock detected'), { code }) });

describe('server/pg-errors', () => {
  it('sqlState › when the SQLSTATE sits on the cause › finds it, and classes deadlocks and serialization failures as retryable', () => {
    expect(sqlState(dbError('40P01'))).to.equal('40P01');
    expect(isRetryableConflict(dbError('40P01'))).to.equal(true);
    expect(isRetryableConflict(dbError('40001'))).to.equal(true);
    expect(isRetryableConflict(dbError('23505'))).to.equal(false);
    expect(isUniqueViolation(dbError('23505'))).to.equal(true);
  });

  for (const code of ['40P01', '40001']) {
    it(`problemHandler › when a route fails with SQLSTATE ${code} › answers 409 conflict_retry, not a 500`, async () => {
      const app = express();
      app.get('/x', () => {
        throw dbError(code);
      });
      app.use(problemHandler(createLogger('silent')));
      const server = app.listen(0);
      try {
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
        const text = await res.text();
        expectProblem({ status: res.status, headers: res.headers, text, body: JSON.parse(text) } as never, 409, 'conflict_retry');
      } finally {
        server.close();
      }
    });
  }
});
