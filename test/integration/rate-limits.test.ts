import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import { eq, like } from 'drizzle-orm';
import { rateLimits } from '../../models/rate-limits';
import { createApp } from '../../server/app';
import { openDatabase, type Database } from '../../server/db';
import { createLogger } from '../../server/logger';
import { MemoryRateLimiter, SharedRateLimiter } from '../../server/middleware/rate-limit';
import { startTestApp, type TestApp } from '../helpers/app';
import { expectProblem } from '../helpers/expect';

/**
 * Low-rate limits (sign-in, submissions) are counted in the database, so two instances behind one
 * load balancer enforce one limit between them, not one each.
 */
describe('rate limits shared by every instance', () => {
  let app: TestApp;
  let second: { baseUrl: string; close(): Promise<void> };

  before(async () => {
    app = await startTestApp({ config: { applicationRateLimit: { perIp: 4, perCompany: 100_000 } } });
    // A second instance on the same database: its own pool on a server, the same engine on PGlite.
    let own: Database | undefined;
    if (app.testDb.url) own = await openDatabase({ databaseUrl: app.testDb.url, poolSize: 2 });
    const express = createApp({ db: own?.db ?? app.db, database: own ?? app.testDb.database, config: app.config, logger: createLogger('silent'), clock: app.clock });
    const server: Server = await new Promise((resolve) => {
      const s = express.listen(0, '127.0.0.1', () => resolve(s));
    });
    second = {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      async close() {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        await own?.close();
      },
    };
  });
  after(async () => {
    await second?.close();
    await app?.close();
  });

  /** Posts to the first (even i) or the second (odd i) instance. */
  async function post(i: number, path: string, body: unknown) {
    const base = i % 2 === 0 ? app.baseUrl : second.baseUrl;
    const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
  }

  describe('POST /api/applications › when two instances share one database › enforce one per-address limit', () => {
    it('lets 4 requests through between them and answers the 5th with 429 and Retry-After', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await post(i, '/api/applications', {});
        statuses.push(res.status);
        if (res.status === 429) {
          expectProblem(res, 429, 'rate_limited');
          expect(Number(res.headers.get('retry-after'))).to.be.within(3500, 3600);
        } else {
          expectProblem(res, 400, 'validation_error');
        }
      }
      expect(statuses).to.deep.equal([400, 400, 400, 400, 429, 429]);
    });
  });

  describe('POST /api/auth/login › when two instances share one database › enforce one per-address limit', () => {
    it('answers the 16th failure from one address with 429, whichever instance gets it', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 17; i++) statuses.push((await post(i, '/api/auth/login', { username: `shared.${i}`, password: `shared-${i}-wrong-zq` })).status);
      expect(statuses).to.deep.equal([...Array(15).fill(401), 429, 429]);
    });
  });

  describe('SharedRateLimiter › when 20 requests race for a budget of 10 › counts every one', () => {
    it('lets exactly 10 through and tells the rest how long to wait', async () => {
      const limiter = new SharedRateLimiter(app.db, 'race', 10, 60_000, app.clock);
      const waits = await Promise.all(Array.from({ length: 20 }, () => limiter.take('one-key')));
      expect(waits.filter((w) => w === 0)).to.have.length(10);
      expect(waits.filter((w) => w > 0).every((w) => w === 60)).to.equal(true);
      const [row] = await app.db.select().from(rateLimits).where(eq(rateLimits.key, 'race:one-key'));
      expect(row!.hits).to.equal(20);
    });
  });

  describe('SharedRateLimiter › once the window has run out › starts counting again', () => {
    it('allows the key again, and giveBack returns one request of the live window', async () => {
      const limiter = new SharedRateLimiter(app.db, 'window', 2, 60_000, app.clock);
      expect([await limiter.take('k'), await limiter.take('k')]).to.deep.equal([0, 0]);
      expect(await limiter.take('k')).to.be.greaterThan(0);
      await limiter.giveBack('k');
      await limiter.giveBack('k');
      expect(await limiter.take('k')).to.equal(0);
      app.clock.advance(60_001);
      expect(await limiter.take('k')).to.equal(0);
      const [row] = await app.db.select().from(rateLimits).where(eq(rateLimits.key, 'window:k'));
      expect(row!.hits).to.equal(1);
    });
  });

  describe('SharedRateLimiter › when windows have run out › sweeps them away', () => {
    it('deletes expired rows on its first count and keeps live ones', async () => {
      const past = new Date(app.clock.now().getTime() - 1000);
      const future = new Date(app.clock.now().getTime() + 3600_000);
      await app.db.insert(rateLimits).values([{ key: 'sweep:old', hits: 3, resetAt: past }, { key: 'sweep:live', hits: 1, resetAt: future }]);
      await new SharedRateLimiter(app.db, 'sweeper', 5, 60_000, app.clock).take('x');
      const left = await app.db.select({ key: rateLimits.key }).from(rateLimits).where(like(rateLimits.key, 'sweep%'));
      expect(left.map((r) => r.key).sort()).to.deep.equal(['sweep:live', 'sweeper:x']);
    });
  });

  describe('MemoryRateLimiter › when one instance counts in memory › keeps the same budget shape', () => {
    it('allows the limit, refuses the next with the seconds left, and takes a request back', async () => {
      const limiter = new MemoryRateLimiter(2, 60_000, app.clock);
      expect([await limiter.take('m'), await limiter.take('m')]).to.deep.equal([0, 0]);
      expect(await limiter.take('m')).to.equal(60);
      await limiter.giveBack('m');
      await limiter.giveBack('m');
      expect(await limiter.take('m')).to.equal(0);
    });
  });
});
