import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { rootDir } from '../../server/paths';

export interface RunningService {
  proc: ChildProcess;
  baseUrl: string;
  output(): string;
  /** Resolves when /readyz answers 200; rejects if the process exits first or time runs out. */
  ready(timeoutMs?: number): Promise<void>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Runs the built service (dist/server.js, what `npm start` runs) with the given environment. */
export async function runService(env: Record<string, string | undefined>): Promise<RunningService> {
  const port = env.PORT ?? String(await freePort());
  const clean = { ...process.env };
  delete clean.DATABASE_URL;
  const proc = spawn(process.execPath, ['--enable-source-maps', path.join(rootDir, 'dist/server.js')], {
    cwd: rootDir,
    env: { ...clean, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    proc, baseUrl, exited,
    output: () => out,
    async ready(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let done = false;
      void exited.then(() => (done = true));
      while (Date.now() < deadline) {
        if (done) throw new Error(`service exited before it was ready:\n${out}`);
        try {
          const res = await fetch(`${baseUrl}/readyz`);
          if (res.status === 200) return;
        } catch {
          /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      proc.kill('SIGKILL');
      throw new Error(`service not ready within ${timeoutMs} ms:\n${out}`);
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null) proc.kill(signal);
      return exited;
    },
  };
}
