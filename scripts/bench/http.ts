import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { rootDir } from '../../server/paths';
import { freePort } from '../../test/helpers/process';

export interface Served {
  url: string;
  stop(): Promise<void>;
}

/** Starts scripts/bench/server.ts in a child process and waits for it to say "ready". */
export async function serve(mode: 'hello' | 'app', env: NodeJS.ProcessEnv = process.env): Promise<Served> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/cpuprof'] : []), '--import', 'tsx', path.join(rootDir, 'scripts/bench/server.ts'), mode, String(port)], {
    cwd: rootDir, env, stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => String(d).includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`bench server (${mode}) exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
}

/** autocannon on loopback: a short warm-up, then the measured run. */
export async function load(options: autocannon.Options, warmupSeconds = 2): Promise<Load> {
  await autocannon({ ...options, duration: warmupSeconds });
  const r = await autocannon(options);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, non2xx: r.non2xx, errors: r.errors };
}
