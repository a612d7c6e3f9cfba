import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConfigError, loadConfig, type Config } from '../server/config';
import { runningService } from '../server/ops/service-file';

/** Shared by the backup, restore and export commands: settings, the target file, and talking to a running service. */
export function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export function opsSetup(usage: string): { config: Config; file: string; pgdataDir: string } {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const file = process.argv[2];
  if (!file || file.startsWith('-')) fail(usage);
  return { config, file: path.resolve(file), pgdataDir: path.join(config.dataDir, 'pgdata') };
}

/**
 * When the embedded service is running on this data directory, fetches `apiPath` from it into file
 * (it alone may open the database) and answers true; answers false when no service is running.
 */
export async function fromRunningService(config: Config, apiPath: string, file: string): Promise<boolean> {
  if (config.databaseUrl || !existsSync(config.dataDir)) return false;
  const service = runningService(config.dataDir);
  if (!service) return false;
  const res = await fetch(`http://127.0.0.1:${service.port}${apiPath}`, { headers: { authorization: `Bearer ${service.opsToken}` } });
  if (!res.ok || !res.body) fail(`the running service (pid ${service.pid}) answered ${res.status}: ${await res.text()}`, 1);
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file));
  return true;
}
