import { existsSync, statSync, writeFileSync } from 'node:fs';
import { openDatabase } from '../server/db';
import { auditDatabaseCopy } from '../server/ops/audit-copy';
import { fail, fromRunningService, opsSetup } from './ops';

// npm run backup -- <file.tar.gz>: the embedded database (DATA_DIR/pgdata) as one gzipped tar.
// While the service runs, the copy is taken by the service itself between two queries (consistent);
// when it is stopped, the directory is opened here, and the copy is audited in it like one the service takes.
const { config, file, pgdataDir } = opsSetup('usage: npm run backup -- <file.tar.gz>');
if (config.databaseUrl) fail('DATABASE_URL is set: back up a PostgreSQL server with pg_dump (or npm run export:sql).');

if (await fromRunningService(config, '/api/admin/backup', file)) {
  process.stdout.write(`backup taken by the running service: ${file} (${statSync(file).size} bytes)\n`);
} else {
  if (!existsSync(pgdataDir)) fail(`no embedded database at ${pgdataDir}`);
  const database = await openDatabase({ dataDir: config.dataDir });
  await auditDatabaseCopy(database.db, { kind: 'backup', via: 'script', file });
  const blob = await database.dumpDataDir!();
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  await database.close();
  process.stdout.write(`backup of ${pgdataDir}: ${file} (${statSync(file).size} bytes)\n`);
}
