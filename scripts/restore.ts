import { existsSync, readFileSync, renameSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { migrationsApplied, openDatabase, restorePglite } from '../server/db';
import { runningService } from '../server/ops/service-file';
import { queryRows } from '../server/sql';
import { fail, opsSetup } from './ops';

// npm run restore -- <file.tar.gz>: makes DATA_DIR/pgdata the backup's copy. The service must be
// stopped; the current directory is kept beside it (pgdata.before-restore-<time>), never deleted.
const { config, file, pgdataDir } = opsSetup('usage: npm run restore -- <file.tar.gz>');
if (config.databaseUrl) fail('DATABASE_URL is set: restore a PostgreSQL server with psql or pg_restore.');
if (!existsSync(file)) fail(`no such file: ${file}`);
const service = runningService(config.dataDir);
if (service) fail(`the service is running on ${config.dataDir} (pid ${service.pid}): stop it first.`);

let keptAside: string | null = null;
if (existsSync(pgdataDir)) {
  keptAside = `${pgdataDir}.before-restore-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}`;
  renameSync(pgdataDir, keptAside);
}
try {
  await restorePglite(pgdataDir, new Blob([readFileSync(file)]));
  const database = await openDatabase({ dataDir: config.dataDir });
  const ready = await migrationsApplied(database.db);
  const [row] = await queryRows<{ leads: number; products: number }>(database.db, sql`select (select count(*)::int from leads) as leads, (select count(*)::int from products) as products`);
  await database.close();
  process.stdout.write(`restored ${file} into ${pgdataDir}: ${row!.products} products, ${row!.leads} leads${ready ? '' : ' (older schema: the service migrates it on start)'}\n`);
  if (keptAside) process.stdout.write(`the previous data is kept at ${keptAside}\n`);
} catch (err) {
  if (keptAside) {
    renameSync(pgdataDir, `${pgdataDir}.failed-restore`);
    renameSync(keptAside, pgdataDir);
  }
  fail(`restore failed, nothing changed: ${err instanceof Error ? err.message : String(err)}`, 1);
}
