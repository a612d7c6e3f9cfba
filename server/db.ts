import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from '../models/schema';
import { migrationsDir } from './paths';
import { queryRows } from './sql';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or an open transaction: queries that may run inside a caller's transaction take this. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Applies pending migrations under an advisory lock, so two instances starting together migrate once. */
  migrate(): Promise<void>;
  /**
   * Runs fn unless another holder has the advisory lock `key` (then answers ran: false). On a server
   * the lock is PostgreSQL's, held by a dedicated connection, so instances exclude each other; the
   * embedded database has one owning process, where an in-process guard does the same.
   */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<{ ran: true; result: T } | { ran: false }>;
  /** Connections of the server pool: open, idle, and queries waiting for one (the embedded database has no pool). */
  poolStats?(): { total: number; idle: number; waiting: number };
  /** The embedded database's whole data directory as a gzipped tar, taken between queries (PGlite only). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

/** Arbitrary key for pg_advisory_lock while migrating ("rongma" in ASCII, truncated). */
const MIGRATION_LOCK_KEY = 0x726f6e67;

export interface OpenOptions {
  databaseUrl?: string;
  /** Directory of the embedded database; ignored with databaseUrl. */
  dataDir?: string;
  /** A throw-away in-memory PGlite (tests). */
  memory?: boolean;
  /** Starts the in-memory PGlite from this `dumpDataDir` image instead of an empty cluster (tests clone a migrated template). */
  loadDataDir?: Blob;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.memory ? undefined : path.join(options.dataDir ?? './data', 'pgdata'), options.loadDataDir);
}

async function openPglite(dir: string | undefined, loadDataDir: Blob | undefined): Promise<Database> {
  if (dir) mkdirSync(dir, { recursive: true });
  const client = dir ? new PGlite(dir, { loadDataDir }) : new PGlite({ loadDataDir });
  await client.waitReady;
  const db = drizzlePglite({ client, schema });
  const held = new Set<number>();
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    async migrate() {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        await migratePglite(db, { migrationsFolder: migrationsDir });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    },
    async withLock(key, fn) {
      if (held.has(key)) return { ran: false };
      held.add(key);
      try {
        return { ran: true, result: await fn() };
      } finally {
        held.delete(key);
      }
    },
    dumpDataDir: () => client.dumpDataDir('gzip'),
    close: () => client.close(),
  };
}

/** Creates an embedded database directory from a backup made by `dumpDataDir` (the directory must not exist yet). */
export async function restorePglite(dir: string, backup: Blob): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir, { loadDataDir: backup });
  await client.waitReady;
  await client.query('checkpoint');
  await client.close();
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzlePg({ client: pool, schema });
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          await migratePg(drizzlePg({ client, schema }), { migrationsFolder: migrationsDir });
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    async withLock(key, fn) {
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [key]);
        if (!rows[0]?.ok) return { ran: false };
        try {
          return { ran: true, result: await fn() };
        } finally {
          await client.query('select pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}

/** The migrations shipped with this build, in order (drizzle-kit's journal): their file names without `.sql`. */
export const migrationTags = (JSON.parse(readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }).entries.map((e) => e.tag);

/** True when every migration shipped with this build has been applied. */
export async function migrationsApplied(db: Db): Promise<boolean> {
  const [table] = await queryRows<{ name: string | null }>(db, sql`select to_regclass('drizzle.__drizzle_migrations')::text as name`);
  if (!table?.name) return false;
  const [row] = await queryRows<{ applied: number }>(db, sql`select count(*)::int as applied from drizzle.__drizzle_migrations`);
  return Number(row?.applied ?? 0) >= migrationTags.length;
}
