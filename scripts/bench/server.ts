// A server for the benchmarks, in its own process so the load generator does not share its event loop.
//   hello PORT  — a bare Express hello-world route
//   app PORT    — Rongma on a fresh in-memory PGlite (or DATABASE_URL) with the demo registry
import express from 'express';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db';
import { createLogger } from '../../server/logger';
import { seedDemo } from '../../server/seed';

const [mode, portArg] = process.argv.slice(2);
const port = Number(portArg);

if (mode === 'hello') {
  const app = express();
  app.get('/', (_req, res) => {
    res.send('hello world');
  });
  app.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
} else {
  // DATABASE_URL: that database as given (the caller made it); BENCH_DATA_DIR: PGlite on disk; else in memory.
  const database = process.env.DATABASE_URL
    ? await openDatabase({ databaseUrl: process.env.DATABASE_URL, poolSize: 20 })
    : await openDatabase(process.env.BENCH_DATA_DIR ? { dataDir: process.env.BENCH_DATA_DIR } : { memory: true });
  await database.migrate();
  // BENCH_ACCOUNTS=1: the demo staff accounts too (the soak signs in as them); BENCH_METRICS_TOKEN: lets it read /metrics.
  await seedDemo(database.db, { accounts: process.env.BENCH_ACCOUNTS === '1' });
  const config = {
    ...loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'bench-secret-bench-secret-bench-secret', MATCH_RATE_LIMIT: '1000000', APPLICATION_RATE_LIMIT_IP: '1000000', APPLICATION_RATE_LIMIT_COMPANY: '1000000', PHONE_VERIFICATION: 'off', LOG_LEVEL: 'warn', METRICS_TOKEN: process.env.BENCH_METRICS_TOKEN }),
    jwtSecret: 'bench-secret-bench-secret-bench-secret',
  };
  const app = createApp({ db: database.db, database, config, logger: createLogger('warn') });
  const http = app.listen(port, '127.0.0.1', () => process.stdout.write(`ready ${database.kind}\n`));
  const stop = async () => {
    http.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}
