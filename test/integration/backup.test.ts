import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrationsApplied, openDatabase, type Db } from '../../server/db';
import { rootDir } from '../../server/paths';
import { queryRows } from '../../server/sql';
import { createServerDatabase, migratedDataDir, prepareDataDirTemplate, publicTables } from '../helpers/db';
import { runService, type RunningService } from '../helpers/process';

const ADMIN_PASSWORD = 'backup-test-admin-pw';
/**
 * Tables only requests write. Between a copy taken while running and the stop, the jobs may still
 * add job runs, rollup rows, and the SLA check's lead events and notifications; these must match exactly.
 */
const BUSINESS = ['banks', 'branches', 'products', 'channels', 'users', 'companies', 'applications', 'consents', 'leads'];

/** Runs one of the npm scripts the README documents (npm run backup / restore / export:sql) on dataDir. */
function script(name: 'backup' | 'restore' | 'export-sql', file: string, dataDir: string) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(rootDir, 'scripts', `${name}.ts`), file], {
    cwd: rootDir, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, NODE_ENV: 'development' }, timeout: 120_000,
  });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await publicTables(db)) {
    const [row] = await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from "${name}"`));
    counts[name] = row!.n;
  }
  return counts;
}

/** Opens the embedded directory (service stopped), reads it, closes it. */
async function readDir<T>(dataDir: string, read: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase({ dataDir });
  try {
    return await read(database.db);
  } finally {
    await database.close();
  }
}

/** The audit rows of database copies, oldest first, as `action via actorRole`. */
const copyAudits = (db: Db) => queryRows<{ row: string }>(db, sql`select action || ' ' || (after->>'via') || ' ' || coalesce(actor_role, '-') as row from audit_log where action like 'database.%' order by id`).then((r) => r.map((x) => x.row));

const leadsDigest = (db: Db) => queryRows<{ md5: string }>(db, sql`select md5(string_agg(l::text, '|' order by id)) as md5 from leads l`).then((r) => r[0]!.md5);

describe('backup, restore and SQL export of the embedded database', function () {
  this.timeout(300_000);
  const work = mkdtempSync(path.join(tmpdir(), 'rongma-backup-'));
  const dataDir = path.join(work, 'data');
  const online = path.join(work, 'online.tar.gz');
  const offline = path.join(work, 'offline.tar.gz');
  const exported = path.join(work, 'export.sql');
  let service: RunningService;
  let stopped: { counts: Record<string, number>; digest: string };

  before(async () => {
    await prepareDataDirTemplate();
    // Already migrated (from the run's template): the service's first start then only seeds, which keeps it within the wait on a busy machine.
    await migratedDataDir(dataDir);
    service = await runService({ DATA_DIR: dataDir, BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn' });
    await service.ready(120_000);
  });
  after(async () => {
    await service?.stop('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('copies the running service (backup and SQL export through it), refuses a restore under it', async () => {
    const login = await fetch(`${service.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${service.baseUrl}/api/channels`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ name: '备份前新建的渠道', kind: 'event' }),
    });
    expect(created.status).to.equal(201);
    expect((await fetch(`${service.baseUrl}/api/admin/backup`)).status, 'anonymous').to.equal(401);

    const backup = script('backup', online, dataDir);
    expect(backup.code, backup.out).to.equal(0);
    expect(backup.out).to.contain('taken by the running service');
    const exportRun = script('export-sql', exported, dataDir);
    expect(exportRun.code, exportRun.out).to.equal(0);
    expect(exportRun.out).to.contain('exported by the running service');

    const refused = script('restore', online, dataDir);
    expect(refused.code).to.equal(2);
    expect(refused.out).to.contain('stop it first');

    expect(await service.stop('SIGTERM')).to.equal(0);
    expect(existsSync(path.join(dataDir, 'service.json')), 'service.json removed on a clean stop').to.equal(false);
    stopped = await readDir(dataDir, async (db) => ({ counts: await tableCounts(db), digest: await leadsDigest(db) }));
    expect(stopped.counts.leads).to.be.greaterThan(1000);
    // Each copy through the operations token left exactly one audit row.
    expect(await readDir(dataDir, copyAudits)).to.deep.equal(['database.backup ops_token ops', 'database.export_sql ops_token ops']);
  });

  it('backs up the stopped directory, and after a wipe restores every row of every table', async () => {
    const backup = script('backup', offline, dataDir);
    expect(backup.code, backup.out).to.equal(0);
    const offlineSql = path.join(work, 'offline.sql');
    const exportRun = script('export-sql', offlineSql, dataDir);
    expect(exportRun.code, exportRun.out).to.equal(0);
    // The scripts opened the stopped directory themselves, and audited each copy in it.
    const audits = await readDir(dataDir, copyAudits);
    expect(audits.slice(2)).to.deep.equal(['database.backup script ops', 'database.export_sql script ops']);
    rmSync(path.join(dataDir, 'pgdata'), { recursive: true });
    const restore = script('restore', offline, dataDir);
    expect(restore.code, restore.out).to.equal(0);
    const after = await readDir(dataDir, async (db) => ({ counts: await tableCounts(db), digest: await leadsDigest(db), ready: await migrationsApplied(db), audits: await copyAudits(db) }));
    expect(after.ready).to.equal(true);
    // The copy holds every row, and its own audit row (written before it was read).
    expect(after.counts).to.deep.equal({ ...stopped.counts, audit_log: stopped.counts.audit_log! + 1 });
    expect(after.audits).to.deep.equal(audits.slice(0, 3));
    expect(after.digest).to.equal(stopped.digest);
  });

  it('restores the copy taken while running: it holds the write made just before, and the replaced data is kept aside', async () => {
    const restore = script('restore', online, dataDir);
    expect(restore.code, restore.out).to.equal(0);
    expect(restore.out).to.match(/previous data is kept at (\S+)/);
    const channel = await readDir(dataDir, (db) => queryRows<{ n: number }>(db, sql`select count(*)::int as n from channels where name = '备份前新建的渠道'`));
    expect(channel[0]!.n).to.equal(1);
    const counts = await readDir(dataDir, tableCounts);
    for (const table of BUSINESS) expect(counts[table], table).to.equal(stopped.counts[table]);
    expect(await readDir(dataDir, copyAudits), 'the copy holds its own audit row').to.deep.equal(['database.backup ops_token ops']);
  });

  it('exports SQL that the PostgreSQL server loads into an empty database with the same row counts, ready for the service', async () => {
    const text = readFileSync(exported, 'utf8');
    const stated = JSON.parse(/^-- rows: (.*)$/m.exec(text)![1]!) as Record<string, number>;
    // The CI server is there in both runs (the PGlite run too): the export must load where a city would move it.
    const server = await createServerDatabase(new URL(process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'), 'rongma_export_test');
    const database = await openDatabase({ databaseUrl: server.url });
    try {
      await database.db.execute(sql.raw(text));
      const loaded = await tableCounts(database.db);
      expect(loaded).to.deep.equal(stated);
      for (const table of BUSINESS) expect(loaded[table], table).to.equal(stopped.counts[table]);
      expect(await migrationsApplied(database.db)).to.equal(true);
      await database.migrate();
      const [next] = await queryRows<{ id: number }>(database.db, sql`insert into banks (code, name, short_name, kind) values ('AFTERLOAD', '导入后新银行', '新行', 'village') returning id`);
      expect(next!.id).to.be.greaterThan(stated.banks!);
    } finally {
      await database.close();
      await server.drop();
    }
  });
});
