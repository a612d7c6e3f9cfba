import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { createApp } from './app';
import { ensureBootstrapAdmin, resolveJwtSecret } from './bootstrap';
import { randomCode } from './domain/codes';
import { ensureOnlineChannel } from '../models/channels';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase, type Database } from './db';
import { createLogger } from './logger';
import { systemClock } from './clock';
import { startJobs } from './jobs';
import { hasDemoRegistry, isEmptyRegistry, seedDemo } from './seed';
import { loadCalendarDir } from './domain/calendar';
import { generateActivity } from './demo/activity';
import { addDemoDrafts } from './demo/drafts';
import { newOpsToken, removeServiceFile, writeServiceFile } from './ops/service-file';

/** Leads the first embedded start adds (a few seconds of work). */
const FIRST_START_LEADS = 2500;

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

async function main() {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  if (config.holidaysDir) {
    if (!existsSync(config.holidaysDir)) {
      process.stderr.write(`Invalid configuration:\n  - HOLIDAYS_DIR: ${config.holidaysDir} does not exist. Set HOLIDAYS_DIR to a folder of YYYY.json holiday schedules, or leave it unset.\n`);
      process.exit(1);
    }
    loadCalendarDir(config.holidaysDir);
  }
  const running: { database?: Database; server?: Server; jobs?: { stop: () => Promise<void> } } = {};
  let stopping = false;

  async function stop(code: number) {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(code || 1), 10_000);
    force.unref();
    const { server, database } = running;
    await running.jobs?.stop().catch(() => undefined);
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    }
    await database?.close().catch((err) => logger.error({ err }, 'closing the database failed'));
    if (!config.databaseUrl) removeServiceFile(config.dataDir);
    logger.info({ code }, 'stopped');
    process.exit(code);
  }

  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    void stop(1);
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    void stop(1);
  });

  const appConfig = resolveJwtSecret(config, logger);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  running.database = database;
  await database.migrate();
  await ensureBootstrapAdmin(database.db, config, logger);
  await ensureOnlineChannel(database.db, randomCode());
  // The embedded default is a demo or pilot: fill an empty registry once. Never automatically on a server.
  // In production only the registry (with SEED_ON_FIRST_START=true): no demo staff, no demo activity.
  // The demo registry is one city's banks: a start for a city without one begins empty.
  const seedable = config.seedOnFirstStart && hasDemoRegistry(config.city);
  if (!config.databaseUrl && config.seedOnFirstStart && !seedable) logger.info({ city: config.city.code }, 'no demo registry for this city; starting with an empty registry');
  if (!config.databaseUrl && seedable && (await isEmptyRegistry(database.db))) {
    const demo = config.nodeEnv !== 'production';
    await seedDemo(database.db, { logger, accounts: demo });
    // A small year of activity so the desk's dashboard shows something real (`npm run demo:activity` adds more).
    // Only a demo: if it fails, the service starts without it.
    if (demo) {
      try {
        const activity = await generateActivity(database.db, { leads: FIRST_START_LEADS, now: systemClock.now() });
        logger.info({ ...activity, drafts: await addDemoDrafts(database.db, systemClock.now()) }, 'demo activity added');
      } catch (err) {
        logger.warn({ err }, 'demo activity could not be added; run npm run demo:activity to retry');
      }
    }
  }

  // The embedded database can only be read by this process: backups and exports come through it, with this token.
  const opsToken = config.databaseUrl ? undefined : newOpsToken();
  const app = createApp({ db: database.db, database, config: { ...appConfig, opsToken }, logger });

  // Scheduled jobs (SLA checks, webhook deliveries, digest, retention), each under its advisory lock.
  running.jobs = startJobs({ db: database.db, database, clock: systemClock, logger, config: appConfig });
  const server = app.listen(config.port);
  running.server = server;
  server.on('listening', () => {
    if (opsToken) writeServiceFile(config.dataDir, { pid: process.pid, port: config.port, opsToken });
    logger.info({ port: config.port, database: database.kind, url: config.publicBaseUrl }, 'Rongma is listening');
  });
  server.on('error', (err) => {
    logger.fatal({ err }, 'the HTTP server failed');
    void stop(1);
  });
}

main().catch((err) => {
  process.stderr.write(`Rongma failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
