import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database, type Db } from '../../server/db';
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

/** A new empty database on the test server (CREATE DATABASE from the DATABASE_URL one). */
export async function createServerDatabase(base: URL, prefix = decodeURIComponent(base.pathname.slice(1))): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
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
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database on
 * the PostgreSQL server when DATABASE_URL is set (the same suite runs against both).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = serverTestUrl();
  if (!base) {
    const database = await openDatabase({ memory: true });
    await database.migrate();
    return { database, drop: () => database.close() };
  }
  const server = await createServerDatabase(base);
  const database = await openDatabase({ databaseUrl: server.url, poolSize: 5 });
  await database.migrate();
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
