import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { openDatabase } from '../server/db';
import { auditDatabaseCopy } from '../server/ops/audit-copy';
import { exportSql } from '../server/ops/export-sql';
import { fromRunningService, opsSetup } from './ops';

// npm run export:sql -- <file.sql>: the whole database as SQL for a PostgreSQL server
// (psql -v ON_ERROR_STOP=1 -d <empty database> -f <file.sql>). From the running embedded service
// when there is one, else straight from DATA_DIR or DATABASE_URL (audited in that database).
const { config, file } = opsSetup('usage: npm run export:sql -- <file.sql>');

if (await fromRunningService(config, '/api/admin/export.sql', file)) {
  process.stdout.write(`exported by the running service: ${file} (${statSync(file).size} bytes)\n`);
} else {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await auditDatabaseCopy(database.db, { kind: 'export_sql', via: 'script', file });
  const out = createWriteStream(file);
  const counts = await exportSql(database.db, out);
  out.end();
  await once(out, 'finish');
  await database.close();
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  process.stdout.write(`exported ${rows} rows of ${Object.keys(counts).length} tables: ${file} (${statSync(file).size} bytes)\n`);
}
