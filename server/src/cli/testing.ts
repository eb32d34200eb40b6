/**
 * Test helpers: runs the real `signalfit` bin (`node bin/signalfit.js …`) as a child process,
 * the way a user or an outside check does.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'bin', 'signalfit.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a child: this process's, without any setting the service reads (so the
 * developer's or CI's own configuration cannot leak in), with silent logs and the overrides
 * (an `undefined` override removes the variable).
 */
export function cliEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (['DATABASE_URL', 'PORT', 'HOST', 'LOG_LEVEL'].includes(name) || name.startsWith('SIGNALFIT_'))
      continue;
    env[name] = value;
  }
  env.LOG_LEVEL = 'silent';
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Starts `node bin/signalfit.js <args>` in `cwd` (the repository root by default); stdin closed, output piped. */
export function spawnCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string = REPO_ROOT,
): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: 'pipe' });
  child.stdin.end();
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  return child;
}

/** Collects a child's output until it exits; kills it (and rejects) after `timeoutMs`. */
export function collect(child: ChildProcessWithoutNullStreams, timeoutMs = 60_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`signalfit did not finish within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`),
      );
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs the command to its end. */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs?: number,
  cwd?: string,
): Promise<CliResult> {
  return collect(spawnCli(args, env, cwd), timeoutMs);
}

/** The non-empty lines of a text. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** A count as the command prints it (`53,179`). */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** A string as a literal part of a regular expression. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
