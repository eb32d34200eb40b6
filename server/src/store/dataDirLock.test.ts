/**
 * One process per embedded store (docs/command-line.md "One process per embedded store"): while `signalfit serve` runs on a
 * data folder, another command on the same folder is refused, naming the process that holds it;
 * once that process is gone — even killed with SIGKILL, leaving its lock file behind — the next
 * process opens the folder.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { cliEnv, collect, spawnCli } from '../cli/testing';
import { AppError } from '../errors';
import { LOCK_FILE, lockDataDir } from './dataDirLock';
import { openPglite } from './pglite';

let dataDir: string;
let importDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'signalfit-lock-'));
  importDir = mkdtempSync(path.join(tmpdir(), 'signalfit-lock-import-'));
  writeFileSync(path.join(importDir, 'keywords.csv'), 'keyword,product_category,kind\nSAST,,generic\n');
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(importDir, { recursive: true, force: true });
});

/** Starts `signalfit serve` on the folder and resolves once it listens. */
async function startServe(env: NodeJS.ProcessEnv) {
  const child = spawnCli(['serve'], { ...env, PORT: '0' });
  const exited = collect(child, 120_000);
  let stdout = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start; stdout: ${stdout}`)), 60_000);
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (/Signalfit is running at/.test(stdout)) {
        clearTimeout(timer);
        resolve();
      }
    });
    exited.then((result) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${result.code}) before listening: ${result.stderr}`));
    }, reject);
  });
  return { child, exited };
}

test('a second process on a served data folder is refused, naming the holder; after a SIGKILL the next one opens it', async () => {
  const env = cliEnv({ SIGNALFIT_DATA_DIR: dataDir });
  const first = await startServe(env);
  try {
    const pid = first.child.pid!;
    const imported = await collect(spawnCli(['import', importDir], env), 60_000);
    expect(imported.code).not.toBe(0);
    expect(imported.stderr).toMatch(
      new RegExp(`in use by process ${pid} on ${hostname()} \\(signalfit\\.js serve, since `),
    );
    expect(imported.stderr).toMatch(/stop that process first/);

    const secondServe = await collect(spawnCli(['serve'], { ...env, PORT: '0' }), 60_000);
    expect(secondServe.code).not.toBe(0);
    expect(secondServe.stderr).toMatch(new RegExp(`in use by process ${pid} `));
    expect(secondServe.stdout).not.toMatch(/running at/);
  } finally {
    first.child.kill('SIGKILL');
    await first.exited;
  }
  expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(true); // left behind by the killed holder

  const after = await collect(spawnCli(['import', importDir], env), 60_000);
  expect(after.stderr).toBe('');
  expect(after.code).toBe(0);
  expect(after.stdout).toMatch(/keywords\.csv\s+1 rows: 1 new/);
  expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false); // released at the command's end
}, 240_000);

test('serve releases the folder when it stops on SIGTERM', async () => {
  const env = cliEnv({ SIGNALFIT_DATA_DIR: dataDir });
  const { child, exited } = await startServe(env);
  expect(JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({
    pid: child.pid,
    hostname: hostname(),
  });
  child.kill('SIGTERM');
  expect((await exited).code).toBe(0);
  expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
}, 120_000);

test('in one process: a second open is refused until the first closes', async () => {
  const db = await openPglite(dataDir);
  const refused = await openPglite(dataDir).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(AppError);
  expect(refused).toMatchObject({ code: 'store_locked', details: { holder: { pid: process.pid } } });
  await db.close();
  const again = await openPglite(dataDir);
  await again.close();
}, 60_000);

test('a lock held on another host is not taken over (its process cannot be checked): the message says how to clear it', () => {
  const file = path.join(dataDir, LOCK_FILE);
  writeFileSync(
    file,
    JSON.stringify({
      pid: 1,
      hostname: 'elsewhere',
      command: 'signalfit.js serve',
      since: '2026-01-01T00:00:00.000Z',
    }),
  );
  expect(() => lockDataDir(dataDir)).toThrow(
    `in use by process 1 on elsewhere (signalfit.js serve, since 2026-01-01T00:00:00.000Z): stop that process first; if it is no longer running, delete ${file}`,
  );
  // A holder on this host whose process id does not exist is stale: taken over.
  writeFileSync(file, JSON.stringify({ pid: 2147483646, hostname: hostname(), command: 'x', since: 'y' }));
  const lock = lockDataDir(dataDir);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
  lock.release();
  expect(existsSync(file)).toBe(false);
});
