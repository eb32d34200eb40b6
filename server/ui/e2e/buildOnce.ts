import { spawn } from 'node:child_process';
import path from 'node:path';
import { isUiBuildCurrent } from '../build';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Builds the dashboard when its bundle is missing or stale, in a child process: rollup and the
 * LWC compiler do not belong in Jest's module sandbox.
 */
export async function buildUiOutOfProcess(): Promise<void> {
  if (isUiBuildCurrent()) return;
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'tsx.js'), 'scripts/build-ui.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`building the dashboard failed (exit ${code}): ${errors.trim()}`);
}
