import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root (the folder holding package.json), whether running from source or from dist/. */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const rootDir = findRoot(import.meta.dirname);
export const migrationsDir = path.join(rootDir, 'migrations');
export const publicDir = path.join(rootDir, 'public');
