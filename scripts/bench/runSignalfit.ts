/**
 * Runs the real `signalfit` bin as a user does (from a folder of its own) for the benchmarks
 * that measure a whole command: its wall time, its peak resident memory (VmHWM of
 * /proc/<pid>/status, read every 100 ms: the peak so far, so the last reading is the peak) and
 * its output.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/signalfit.js');

export interface CommandRun {
  seconds: number;
  peakRssMb: number;
  stdout: string;
}

export function runSignalfit(args: string[], env: NodeJS.ProcessEnv): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: tmpdir(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    const watch = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // the process has just exited
      }
    }, 100);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(watch);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`signalfit ${args.join(' ')} exited ${code}: ${stderr}`));
      resolve({ seconds, peakRssMb: Math.round(peakKb / 1024), stdout });
    });
  });
}

/** The store's connection string for a PostgreSQL schema (its search_path). */
export function schemaUrl(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;
}
