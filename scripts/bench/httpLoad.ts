/**
 * What the HTTP benchmarks share: a database to hold their market, the service started as a
 * user starts it (`signalfit serve` in its own process), and autocannon driving it with the
 * latency of every response kept, so that percentiles are exact rather than histogram buckets.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { RAISED_RATE_LIMIT_ENV } from '../../server/src/http/testing';

// autocannon ships no types; this is the part of its API the benchmarks use.
interface AutocannonResult {
  requests: { total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (
  options: Record<string, unknown>,
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export const ROOT = path.resolve(__dirname, '../..');

/** Creates the database of a postgres:// URL when it is missing (trust auth on 127.0.0.1). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

/** `signalfit serve` on PostgreSQL in a child process; resolves with its URL once it listens. */
export function startService(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ url: string; stop(): void }> {
  // BENCH_CPU_PROFILE_DIR: the service writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_CPU_PROFILE_DIR;
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, 'bin/signalfit.js', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // Load from one address and one user: the per-client limits would answer 429.
      ...RAISED_RATE_LIMIT_ENV,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const found = /Signalfit is running at (http:\/\/\S+)/.exec(stdout);
      // The service prints localhost for 127.0.0.1; autocannon would try ::1 first.
      if (found)
        resolve({
          url: found[1]!.replace('//localhost:', '//127.0.0.1:'),
          stop: () => child.kill('SIGTERM'),
        });
    });
    child.on('exit', (code) => reject(new Error(`signalfit serve exited (${code}) before listening`)));
  });
}

export interface LoadOptions {
  url: string;
  /** Request paths, asked in turn. */
  paths: readonly string[];
  accessToken: string;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** Drives the service with autocannon for a while; latencies are exact percentiles. */
export async function measureLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        headers: { authorization: `Bearer ${options.accessToken}` },
        requests: [
          {
            method: 'GET',
            setupRequest: (req: Record<string, unknown>) => ({
              ...req,
              path: options.paths[next++ % options.paths.length],
            }),
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: latencies.at(-1) ?? NaN,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
