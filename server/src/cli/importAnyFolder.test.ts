/**
 * `signalfit import .` as a user runs it: the real bin in a child process whose working directory
 * is the folder of CSV files, outside the project (docs/command-line.md "Import"). Every file must land, the
 * worker-parsed activities.csv included; and a file that fails must make the command exit
 * non-zero, naming the file, while the others still land.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeMarketCsv, type MarketCounts } from '../services/demo/writeMarketCsv';
import { WORKER_THRESHOLD_BYTES } from '../services/import/importFile';
import { cliEnv, count, literal, REPO_ROOT, runCli } from './testing';

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'signalfit-any-folder-'));
  // The point of the test: the working directory is not inside the project.
  expect(path.relative(REPO_ROOT, root).startsWith('..')).toBe(true);
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function fileLine(stdout: string, file: string): string {
  return new RegExp(`^\\s+${literal(file)}\\s+.*$`, 'm').exec(stdout)?.[0] ?? `(no line for ${file})`;
}

it('imports every file of the working directory with `import .`, activities.csv (parsed in a worker) too', async () => {
  const market = path.join(root, 'market');
  const counts: MarketCounts = await writeMarketCsv({
    dir: market,
    seed: 3,
    accounts: 260,
    endDate: new Date('2026-01-01T00:00:00Z'),
  });
  // Large enough to be parsed in the worker thread, whose loader failed from a foreign folder.
  expect(statSync(path.join(market, 'activities.csv')).size).toBeGreaterThanOrEqual(WORKER_THRESHOLD_BYTES);

  const env = cliEnv({ SIGNALFIT_DATA_DIR: path.join(root, 'store') });
  const result = await runCli(['import', '.'], env, 120_000, market);

  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  for (const file of [
    'accounts.csv',
    'contacts.csv',
    'opportunities.csv',
    'activities.csv',
    'keywords.csv',
  ]) {
    const rows = count(counts[file as keyof MarketCounts]);
    expect(fileLine(result.stdout, file)).toMatch(
      new RegExp(`\\s${rows} rows: ${rows} new, 0 updated, 0 unchanged \\(`),
    );
  }
}, 150_000);

it('exits 1 naming the file that failed, and still imports the others', async () => {
  const dir = path.join(root, 'one-bad-file');
  const env = cliEnv({ SIGNALFIT_DATA_DIR: path.join(root, 'store-bad') });
  await writeMarketCsv({ dir, seed: 4, accounts: 5, endDate: new Date('2026-01-01T00:00:00Z') });
  // A header without the required account_id: the whole file fails.
  writeFileSync(path.join(dir, 'opportunities.csv'), 'id,name,created_at\no-1,Renewal,2025-05-01\n');

  const result = await runCli(['import', '.'], env, 120_000, dir);

  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^signalfit: opportunities\.csv was not imported: .*account_id/m);
  expect(result.stderr).toMatch(/1 of 5 files failed \(opportunities\.csv\); the other 4 landed/);
  expect(fileLine(result.stdout, 'opportunities.csv')).toMatch(/FAILED: .*account_id/);
  for (const file of ['accounts.csv', 'contacts.csv', 'activities.csv', 'keywords.csv'])
    expect(fileLine(result.stdout, file)).toMatch(/ rows: \d[\d,]* new, 0 updated, 0 unchanged/);
}, 150_000);
