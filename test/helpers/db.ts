import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, restorePglite, type Database, type Db } from '../../server/db';
import { queryRows } from '../../server/sql';

export interface TestDatabase {
  database: Database;
  /** Connection string of the throw-away database on a server; undefined for in-memory PGlite. */
  url?: string;
  drop(): Promise<void>;
}

/** The server named by DATABASE_URL, refusing any database whose name does not say it is for tests. */
export function serverTestUrl(): URL | undefined {
  const raw = process.env.DATABASE_URL;
  if (!raw) return undefined;
  const url = new URL(raw);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!name.includes('test')) {
    throw new Error(`Refusing to run tests against database "${name}": its name must contain "test".`);
  }
  return url;
}

/** A new database on the test server (CREATE DATABASE from the DATABASE_URL one): empty, or a copy of `template`. */
export async function createServerDatabase(base: URL, prefix = decodeURIComponent(base.pathname.slice(1)), template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(template ? `create database "${name}" template "${template}"` : `create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * The migrated template every test database is cloned from, made once per process (a mocha run) on first
 * use: migrating takes seconds per database, cloning a fraction of that. In-memory PGlite keeps a
 * `dumpDataDir` image; a server keeps a database beside DATABASE_URL's, which `dropTestTemplates` removes
 * when the run ends (the root hook in test/helpers/root-hooks.ts).
 */
interface Templates {
  pglite?: Promise<Blob>;
  server?: Promise<{ name: string; drop(): Promise<void> }>;
}
/**
 * Kept on globalThis, not in this module: a run can hold two instances of this module (seen with
 * openapi-lint.test.ts), and the second made a second server template that the root hook never dropped.
 */
const templates = ((globalThis as { [key: symbol]: unknown })[Symbol.for('rongma.test.templates')] ??= {}) as Templates;

async function migratedPgliteImage(): Promise<Blob> {
  const database = await openDatabase({ memory: true });
  try {
    await database.migrate();
    return await database.dumpDataDir!();
  } finally {
    await database.close();
  }
}

async function migratedServerTemplate(base: URL): Promise<{ name: string; drop(): Promise<void> }> {
  const template = await createServerDatabase(base, `${decodeURIComponent(base.pathname.slice(1))}_template_${process.pid}`);
  // CREATE DATABASE … TEMPLATE refuses a template with open connections, so the pool that migrates it closes first.
  const database = await openDatabase({ databaseUrl: template.url, poolSize: 1 });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
  return { name: decodeURIComponent(new URL(template.url).pathname.slice(1)), drop: template.drop };
}

/**
 * Makes the run's template now, if not yet made (the root hook calls it before the first file, under its
 * own timeout, so the first file's `before` does not pay for the migrations).
 */
export async function prepareTestTemplate(): Promise<void> {
  const base = serverTestUrl();
  if (base) await (templates.server ??= migratedServerTemplate(base));
  else await (templates.pglite ??= migratedPgliteImage());
}

/** Makes the embedded template now (for `migratedDataDir`) even when the run's databases are on a server; call it from a `before` with a long timeout. */
export async function prepareDataDirTemplate(): Promise<void> {
  await (templates.pglite ??= migratedPgliteImage());
}

/**
 * Fills `dataDir` (a service's DATA_DIR, not yet existing) with the embedded database already migrated,
 * from the process's template: a spawned service then starts without initdb and migrations, which is
 * most of its start-up time. For tests whose subject is not the first start itself.
 */
export async function migratedDataDir(dataDir: string): Promise<void> {
  templates.pglite ??= migratedPgliteImage();
  await restorePglite(path.join(dataDir, 'pgdata'), await templates.pglite);
}

/** Drops the server template made by this process, if any (mocha's root afterAll calls it). */
export async function dropTestTemplates(): Promise<void> {
  const made = templates.server;
  templates.server = undefined;
  templates.pglite = undefined;
  if (made) await (await made).drop();
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database on
 * the PostgreSQL server when DATABASE_URL is set (the same suite runs against both). Either way a
 * clone of the process's migrated template.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = serverTestUrl();
  if (!base) {
    templates.pglite ??= migratedPgliteImage();
    const database = await openDatabase({ memory: true, loadDataDir: await templates.pglite });
    return { database, drop: () => database.close() };
  }
  templates.server ??= migratedServerTemplate(base);
  const template = await templates.server;
  const server = await createServerDatabase(base, undefined, template.name);
  const database = await openDatabase({ databaseUrl: server.url, poolSize: 5 });
  return {
    database,
    url: server.url,
    async drop() {
      await database.close().catch(() => undefined);
      await server.drop();
    },
  };
}

/** The names of every table of the application's schema, sorted. */
export async function publicTables(db: Db): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(db, sql`select relname as name from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace order by 1`);
  return rows.map((r) => r.name);
}
