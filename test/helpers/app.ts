import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { createApp } from '../../server/app';
import type { Clock } from '../../server/clock';
import { loadConfig, type AppConfig } from '../../server/config';
import type { Db } from '../../server/db';
import { createLogger } from '../../server/logger';
import type { HostLookup } from '../../server/outbound-address';
import { createTestDatabase, type TestDatabase } from './db';

/** A clock that stands still until a test moves it. */
export class TestClock implements Clock {
  private t: number;
  constructor(start: Date = new Date()) {
    this.t = start.getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(d: Date): void {
    this.t = d.getTime();
  }
}

export interface Reply<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as the raw body (with the content type given in headers, JSON by default). */
  raw?: string;
  token?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  baseUrl: string;
  db: Db;
  testDb: TestDatabase;
  clock: TestClock;
  config: AppConfig;
  /** The Express app itself, for tests that read its route table. */
  express: Express;
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<Reply<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** The real app on a fresh database, listening on a random loopback port. */
export async function startTestApp(options: { clock?: TestClock; config?: Partial<AppConfig>; lookup?: HostLookup } = {}): Promise<TestApp> {
  const testDb = await createTestDatabase();
  const clock = options.clock ?? new TestClock();
  const config: AppConfig = { ...loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent', MATCH_RATE_LIMIT: '100000', APPLICATION_RATE_LIMIT_IP: '100000', APPLICATION_RATE_LIMIT_COMPANY: '100000', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', PHONE_VERIFICATION: 'off' }), jwtSecret: TEST_JWT_SECRET, ...options.config };
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const app = createApp({ db: testDb.database.db, database: testDb.database, config, logger, clock, lookup: options.lookup });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function call(method: string, path: string, o: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined = o.raw;
    if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    if (/json/.test(res.headers.get('content-type') ?? '')) parsed = text ? JSON.parse(text) : undefined;
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  return {
    baseUrl, db: testDb.database.db, testDb, clock, config, call, express: app,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await testDb.drop();
    },
  };
}

/** What a scheduled job's run() needs, on the test app's database and clock (quiet logger). */
export function jobDeps(app: TestApp) {
  return { db: app.db, clock: app.clock, logger: createLogger('silent'), config: app.config, database: app.testDb.database };
}
