import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { rootDir } from '../../server/paths';
import { freePort } from '../../test/helpers/process';

export interface Served {
  url: string;
  stop(): Promise<void>;
  /** CPU time (user + system) the server process has used so far, in ms (Linux /proc; NaN elsewhere). */
  cpuMs(): number;
}

/**
 * A process's CPU time from /proc/PID/stat (utime + stime, in clock ticks of 10 ms). On a shared,
 * overloaded machine req/s mostly measures the neighbours; CPU per request is the server's own cost.
 */
export function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * CPU time of a PostgreSQL server on this machine, in ms: every live `postgres` process, plus the exited
 * backends the postmaster has reaped (its cutime + cstime). NaN when none is visible (a remote server).
 */
export function postgresCpuMs(): number {
  let total = 0;
  let seen = false;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    if (!stat.includes('(postgres)')) continue;
    seen = true;
    const f = stat.replace(/^.*\) /, '').split(' ').map(Number);
    total += f[11]! + f[12]! + f[13]! + f[14]!;
  }
  return seen ? total * 10 : NaN;
}

/** Starts scripts/bench/server.ts in a child process and waits for it to say "ready". */
export async function serve(mode: 'hello' | 'app', env: NodeJS.ProcessEnv = process.env): Promise<Served> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), '--import', 'tsx', path.join(rootDir, 'scripts/bench/server.ts'), mode, String(port)], {
    cwd: rootDir, env, stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => String(d).includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`bench server (${mode}) exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    cpuMs: () => processCpuMs(child.pid),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

export interface Load {
  rps: number;
  /** Server CPU ms per request during the measured run (when `server` was given). */
  cpuPerRequest?: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
}

/**
 * Requests per second of a timed run: all its requests over its whole time, where autocannon's
 * `requests.average` is the mean of its whole-second buckets. (A run of a fixed number of requests ends on
 * autocannon's next whole second, so scripts/bench/submissions.ts times those from first request to last answer.)
 */
export function rateOf(r: autocannon.Result): number {
  return r.requests.total / Math.max(0.01, r.duration);
}

/** autocannon on loopback: a short warm-up, then the measured run. */
export async function load(options: autocannon.Options, warmupSeconds = 2, server?: Served): Promise<Load> {
  await autocannon({ ...options, duration: warmupSeconds });
  const cpu0 = server?.cpuMs() ?? NaN;
  const r = await autocannon(options);
  const cpuPerRequest = server ? (server.cpuMs() - cpu0) / Math.max(1, r.requests.total) : undefined;
  return { rps: rateOf(r), cpuPerRequest, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, non2xx: r.non2xx, errors: r.errors };
}
