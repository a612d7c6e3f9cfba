import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `DATA_DIR/service.json`, written by a running embedded service: its pid, port and a one-start
 * operations token (mode 0600). `npm run backup` / `export:sql` use it to ask the running service
 * for a consistent copy (only the owning process may open a PGlite directory); `restore` refuses
 * while it names a live process.
 */
export interface ServiceFile {
  pid: number;
  port: number;
  opsToken: string;
}

const fileOf = (dataDir: string) => path.join(dataDir, 'service.json');

export function newOpsToken(): string {
  return randomBytes(32).toString('base64url');
}

export function writeServiceFile(dataDir: string, info: ServiceFile): void {
  writeFileSync(fileOf(dataDir), JSON.stringify(info), { mode: 0o600 });
}

export function removeServiceFile(dataDir: string, pid = process.pid): void {
  const running = readServiceFile(dataDir);
  if (running?.pid === pid) rmSync(fileOf(dataDir), { force: true });
}

function readServiceFile(dataDir: string): ServiceFile | null {
  if (!existsSync(fileOf(dataDir))) return null;
  try {
    return JSON.parse(readFileSync(fileOf(dataDir), 'utf8')) as ServiceFile;
  } catch {
    return null;
  }
}

/** The service running on this data directory, if its process is alive (a file left by a crash is ignored). */
export function runningService(dataDir: string): ServiceFile | null {
  const info = readServiceFile(dataDir);
  if (!info) return null;
  try {
    process.kill(info.pid, 0);
    return info;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? info : null;
  }
}
