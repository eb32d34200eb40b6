/**
 * The `signalfit` command line as a black box (docs/command-line.md): the real bin in a
 * child process, on a fresh embedded store, with no DATABASE_URL. The tests of this file share
 * one demo market and one store (opening a fresh PGlite folder costs seconds), so they run in order.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { collect, cliEnv, count, linesOf, literal, runCli, spawnCli } from './testing';

const CANONICAL = ['accounts.csv', 'contacts.csv', 'opportunities.csv', 'activities.csv', 'keywords.csv'];
const DEMO_ARGS = ['--accounts', '30', '--seed', '7', '--end-date', '2026-01-01'];

let root: string;
let dataDir: string;
let market: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'signalfit-cli-'));
  dataDir = path.join(root, 'store');
  market = path.join(root, 'market');
  env = cliEnv({ SIGNALFIT_DATA_DIR: dataDir });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Data rows of a CSV file (quoted line breaks and all). */
function recordsIn(file: string): number {
  return (parse(readFileSync(file), { columns: true }) as unknown[]).length;
}

function rowCounts(dir: string): Record<string, number> {
  return Object.fromEntries(CANONICAL.map((file) => [file, recordsIn(path.join(dir, file))]));
}

/** Expects a failure reported as exactly one `signalfit: …` line on stderr, and returns that line. */
function oneLineFailure(result: { code: number | null; stderr: string }): string {
  expect(result.code).toBe(1);
  const lines = linesOf(result.stderr);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^signalfit: \S/);
  return lines[0]!;
}

describe('signalfit demo --csv', () => {
  it('writes the five canonical files and demo_truth.csv, byte for byte the same on every run', async () => {
    const again = path.join(root, 'market-again');
    const first = await runCli(['demo', '--csv', market, ...DEMO_ARGS], env);
    const second = await runCli(['demo', '--csv', again, ...DEMO_ARGS], env);

    for (const result of [first, second])
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(readdirSync(market).sort()).toEqual([...CANONICAL, 'demo_truth.csv'].sort());
    const counts = rowCounts(market);
    expect(counts['accounts.csv']).toBe(30);
    expect(recordsIn(path.join(market, 'demo_truth.csv'))).toBe(30);
    for (const file of CANONICAL) expect(counts[file]).toBeGreaterThan(0);
    // The summary line names each file with the rows it holds.
    for (const file of CANONICAL) expect(first.stdout).toContain(`${file} ${count(counts[file]!)}`);
    expect(first.stdout).toContain('demo_truth.csv 30');

    for (const file of [...CANONICAL, 'demo_truth.csv']) {
      const a = readFileSync(path.join(market, file));
      const b = readFileSync(path.join(again, file));
      expect({ file, identical: a.equals(b) }).toEqual({ file, identical: true });
    }
    // The store was never touched.
    expect(existsSync(dataDir)).toBe(false);
  }, 30_000);
});

describe('signalfit import', () => {
  const reports = () => path.join(root, 'reports');

  it('imports the demo market: one line per file, a summary line, and import-summary.json', async () => {
    const counts = rowCounts(market);
    const total = CANONICAL.reduce((n, file) => n + counts[file]!, 0);
    const result = await runCli(['import', market, '--report-dir', reports()], env, 90_000);

    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = linesOf(result.stdout);
    expect(lines).toHaveLength(CANONICAL.length + 1);
    for (const file of CANONICAL) {
      const rows = count(counts[file]!);
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^\\s+${literal(file)}\\s+${rows} rows: ${rows} new, 0 updated, 0 unchanged \\(`),
        ),
      );
    }
    const summaryFile = path.join(reports(), 'import-summary.json');
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^imported ${count(total)} rows from 5 of 5 files into the embedded store in ${literal(dataDir)}; ` +
          `0 rows rejected in [\\d.]+ s \\(summary: ${literal(summaryFile)}\\)$`,
      ),
    );

    const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as {
      dir: string;
      importedRows: number;
      rejectedRows: number;
      files: Array<{ file: string; status: string; rows: number; inserted: number; rejected: number }>;
    };
    expect(summary).toMatchObject({ dir: market, importedRows: total, rejectedRows: 0 });
    expect(summary.files.map((f) => [f.file, f.status, f.rows, f.inserted, f.rejected])).toEqual(
      CANONICAL.map((file) => [file, 'imported', counts[file], counts[file], 0]),
    );
    // The report went to --report-dir, not beside the data.
    expect(existsSync(path.join(market, 'import-summary.json'))).toBe(false);
  }, 90_000);

  it('serves the store: prints its URL, answers /healthz and /readyz, and exits 0 on SIGTERM', async () => {
    const child = spawnCli(['serve'], { ...env, PORT: '0' });
    const exited = collect(child, 60_000);
    let timer: NodeJS.Timeout | undefined;
    try {
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no URL printed within 30 s; stdout: ${stdout}`)), 30_000);
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          const found = /Signalfit is running at (http:\/\/\S+)/.exec(stdout);
          if (found) resolve(found[1]!);
        });
        exited.then(
          (result) => reject(new Error(`serve exited (${result.code}) before listening: ${result.stderr}`)),
          reject,
        );
      });

      expect(url).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):\d+$/);
      expect(url).not.toMatch(/:0$/);
      const health = await fetch(`${url}/healthz`);
      expect({ status: health.status, body: await health.json() }).toEqual({
        status: 200,
        body: { status: 'ok' },
      });
      const ready = await fetch(`${url}/readyz`);
      // The integrations' states are /readyz's own tests' subject (health/routes.test.ts).
      expect({ status: ready.status, body: await ready.json() }).toMatchObject({
        status: 200,
        body: { status: 'ready', store: 'pglite', integrations: { scoring: { configured: true } } },
      });

      const signalled = Date.now();
      child.kill('SIGTERM');
      const result = await exited;
      expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalled).toBeLessThan(5_000);
    } finally {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited.catch(() => undefined);
    }
  }, 60_000);

  it('imports the same folder again: nothing new, every row unchanged', async () => {
    const counts = rowCounts(market);
    const result = await runCli(['import', market, '--report-dir', reports()], env, 60_000);

    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    for (const file of CANONICAL) {
      const rows = count(counts[file]!);
      expect(result.stdout).toMatch(
        new RegExp(`^\\s+${literal(file)}\\s+${rows} rows: 0 new, 0 updated, ${rows} unchanged \\(`, 'm'),
      );
    }
    expect(result.stdout).toMatch(/; 0 rows rejected in /);
  }, 60_000);

  it('exits 1 when nothing could be imported: a contacts.csv naming unknown accounts', async () => {
    const dir = path.join(root, 'orphans');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'contacts.csv'),
      'id,account_id,email\nc-orphan-1,no-such-account,ann@example.com\nc-orphan-2,nor-this-one,bob@example.com\n',
    );
    const result = await runCli(['import', dir], env, 60_000);

    expect(oneLineFailure(result)).toMatch(/nothing could be imported/);
    expect(result.stdout).toMatch(/^\s+contacts\.csv\s+2 rows: 0 new, 0 updated, 0 unchanged, 2 rejected/m);
    expect(result.stdout).toMatch(/^imported 0 rows from 1 of 1 files/m);
    const rejects = parse(readFileSync(path.join(dir, 'rejected-contacts.csv')), { columns: true }) as Array<
      Record<string, string>
    >;
    expect(rejects.map((r) => [r.line, r.column, r.id])).toEqual([
      ['2', 'account_id', 'c-orphan-1'],
      ['3', 'account_id', 'c-orphan-2'],
    ]);
  }, 60_000);

  it('exits 1 with one line when the folder does not exist', async () => {
    const result = await runCli(['import', '/no/such/dir'], env, 60_000);
    expect(oneLineFailure(result)).toContain('/no/such/dir');
    expect(result.stdout).toBe('');
  }, 60_000);
});

describe('failures before any work', () => {
  it.each([
    ['import', () => ['import', market]],
    ['serve', () => ['serve']],
    ['demo --csv', () => ['demo', '--csv', path.join(root, 'never-written')]],
  ])(
    'DATABASE_URL=mysql://x makes %s exit 1 with one line naming DATABASE_URL',
    async (_name, args) => {
      const result = await runCli(args(), { ...env, DATABASE_URL: 'mysql://x', PORT: '0' }, 30_000);
      expect(oneLineFailure(result)).toContain('DATABASE_URL');
      expect(result.stdout).toBe('');
      expect(existsSync(path.join(root, 'never-written'))).toBe(false);
    },
    30_000,
  );

  it.each([
    [['demo', '--accounts', 'abc'], "argument 'abc' is invalid"],
    [['rescore'], "unknown command 'rescore'"],
    [['score', '--as-of'], "option '--as-of <date>' argument missing"],
    [['import'], "missing required argument 'dir'"],
  ])(
    'a usage error (%j) is one signalfit: line too, not the help text',
    async (args, reason) => {
      const result = await runCli(args, env, 30_000);
      expect(oneLineFailure(result)).toContain(reason);
    },
    30_000,
  );

  it('does not create the store when the folder to import does not exist', async () => {
    const dataDir = path.join(root, 'never-created-store');
    const result = await runCli(['import', '/no/such/dir'], { ...env, SIGNALFIT_DATA_DIR: dataDir }, 30_000);
    expect(oneLineFailure(result)).toContain('is not a folder');
    expect(existsSync(dataDir)).toBe(false);
  }, 30_000);

  it('demo --accounts 0 exits 1 with one line', async () => {
    const result = await runCli(['demo', '--accounts', '0'], env, 30_000);
    expect(oneLineFailure(result)).toContain('--accounts');
    expect(result.stdout).toBe('');
  }, 30_000);

  it('demo --end-date 2026-13-01 exits 1 with one line and writes nothing', async () => {
    const target = path.join(root, 'bad-date');
    const result = await runCli(['demo', '--end-date', '2026-13-01', '--csv', target], env, 30_000);
    expect(oneLineFailure(result)).toContain('--end-date');
    expect(existsSync(target)).toBe(false);
  }, 30_000);

  it('demo --shape with a bad knob exits 1 with one line naming it and writes nothing', async () => {
    const shape = path.join(root, 'bad-shape.json');
    writeFileSync(shape, JSON.stringify({ seller: 'crm', cycleLength: 2 }));
    const target = path.join(root, 'bad-shape');
    const result = await runCli(['demo', '--shape', shape, '--csv', target, ...DEMO_ARGS], env, 30_000);
    const line = oneLineFailure(result);
    expect(line).toContain('is not a market shape: seller:');
    expect(line).toContain('hr-software');
    expect(existsSync(target)).toBe(false);
  }, 30_000);

  it('demo --shape writes a market of that seller: its own keywords', async () => {
    const shape = path.join(root, 'hr-shape.json');
    writeFileSync(shape, JSON.stringify({ seller: 'hr-software', buyingShare: 2 }));
    const target = path.join(root, 'hr-market');
    const result = await runCli(['demo', '--shape', shape, '--csv', target, ...DEMO_ARGS], env, 60_000);
    expect(result.code).toBe(0);
    const keywords = readFileSync(path.join(target, 'keywords.csv'), 'utf8');
    expect(keywords).toContain('payroll software');
    expect(keywords).not.toContain('sast');
  }, 60_000);

  it('--help lists every command of the contract', async () => {
    const result = await runCli(['--help'], env, 30_000);
    expect(result.code).toBe(0);
    const commandsSection = result.stdout.split(/^Commands:$/m)[1] ?? '';
    const commands = linesOf(commandsSection)
      .map((line) => /^ {2}(\S+)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    expect(commands).toEqual(
      expect.arrayContaining(['import', 'score', 'export', 'backtest', 'serve', 'demo']),
    );
  }, 30_000);
});
