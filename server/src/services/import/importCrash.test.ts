/**
 * Crash safety of `signalfit import` (docs/command-line.md "Import": each file is one transaction, so an
 * interrupted import leaves each file fully imported or untouched, and running it again completes
 * it). The real command runs in a child process and is killed with SIGKILL inside activities.csv,
 * on a PGlite folder and (with TEST_DATABASE_URL) on PostgreSQL; a rerun must then leave every
 * table exactly as an uninterrupted import leaves it.
 *
 * The moment to kill is read from Linux's /proc: how far the child has read activities.csv. The
 * file is read as it is imported, inside its transaction, so "half read" is always mid-file, and
 * "just read to the end" is while the staged rows go into the table (the rerun's report tells
 * whether that kill came before the commit; if not, a half-read kill follows).
 */
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliEnv, collect, count, literal, runCli, spawnCli, type CliResult } from '../../cli/testing';
import type { Db } from '../../store/db';
import { processStoreTargets, testStoreTargets } from '../../store/testing';
import { writeMarketCsv, type MarketCounts } from '../demo/writeMarketCsv';
import { importDirectory } from './importDirectory';

const TABLES = [
  ['accounts', 'id', 'accounts.csv'],
  ['contacts', 'id', 'contacts.csv'],
  ['opportunities', 'id', 'opportunities.csv'],
  ['activities', 'id', 'activities.csv'],
  ['keywords', 'keyword', 'keywords.csv'],
] as const;

/**
 * Columns that hold the moment a fact reached this store (contacts.opted_out_at, migration
 * 0023), not data of the files: two imports of the same files differ there by when they ran.
 * They are compared by which rows have one, not by the moment.
 */
const STORE_TIMES: Partial<Record<string, string>> = { contacts: 'opted_out_at' };

type Fingerprint = Record<string, { rows: number; keys: string; content: string; stamped?: number }>;

/**
 * Each table's row count, a checksum of its keys and one of its whole rows (but a STORE_TIMES
 * column, of which the rows that have one are counted). Sorted in the "C" collation and printed
 * in UTC, so PGlite and PostgreSQL give the same text for the same data.
 */
function fingerprint(db: Db): Promise<Fingerprint> {
  return db.transaction(async (tx) => {
    await tx.exec("SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'");
    const result: Fingerprint = {};
    for (const [table, key] of TABLES) {
      const stored = STORE_TIMES[table];
      const row = stored ? `(to_jsonb(t) - '${stored}')::text` : 't::text';
      const [found] = await tx.query<{ rows: number; keys: string; content: string; stamped?: number }>(
        `SELECT count(*)::int AS rows,
                md5(coalesce(string_agg(${key}, ',' ORDER BY ${key} COLLATE "C"), '')) AS keys,
                md5(coalesce(string_agg(${row}, E'\\n' ORDER BY ${key} COLLATE "C"), '')) AS content
                ${stored ? `, count(${stored})::int AS stamped` : ''}
         FROM ${table} t`,
      );
      result[table] = found!;
    }
    return result;
  });
}

/** How far process `pid` has read `file` (its open descriptor's offset), or null when it has it not open. */
function readOffset(pid: number, file: string): number | null {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null; // gone
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== file) continue;
      const found = /^pos:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      if (found) return Number(found[1]);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  return null;
}

type KillPoint =
  /** Once the child has read this share of activities.csv: always inside that file's transaction. */
  | { read: number }
  /** As soon as the child has read all of activities.csv: while it moves the rows into the table. */
  | 'read-done';

interface KillOutcome extends CliResult {
  killed: boolean;
}

/** Runs `signalfit import <dir>` and SIGKILLs it at the kill point, unless it ends first. */
async function importAndKill(dir: string, env: NodeJS.ProcessEnv, at: KillPoint): Promise<KillOutcome> {
  const activities = realpathSync(path.join(dir, 'activities.csv'));
  const size = statSync(activities).size;
  const child = spawnCli(['import', dir], env);
  const done = collect(child, 120_000);
  let killed = false;
  let seenOpen = false;
  const poll = setInterval(() => {
    const offset = readOffset(child.pid!, activities);
    if (offset !== null) seenOpen = true;
    const now =
      at === 'read-done' ? seenOpen && offset === null : offset !== null && offset >= at.read * size;
    if (now && child.exitCode === null && child.signalCode === null) {
      killed = child.kill('SIGKILL');
      clearInterval(poll);
    }
  }, 5);
  try {
    const result = await done;
    return { ...result, killed: killed && result.signal === 'SIGKILL' };
  } finally {
    clearInterval(poll);
  }
}

function fileLine(stdout: string, file: string): string {
  return (
    new RegExp(`^\\s+${literal(file)}\\s+.*$`, 'm').exec(stdout)?.[0] ?? `(no line for ${file} in: ${stdout})`
  );
}

let dir: string;
let counts: MarketCounts;
let reference: Fingerprint;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'signalfit-crash-market-'));
  counts = await writeMarketCsv({ dir, seed: 5, accounts: 150, endDate: new Date('2026-01-01T00:00:00Z') });
  // The uninterrupted import, into a store of its own (PostgreSQL when there is one: it opens fastest).
  const target = testStoreTargets().at(-1)!;
  const db = await target.open();
  try {
    await importDirectory({ db, dir });
    reference = await fingerprint(db);
  } finally {
    await db.close();
  }
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('the reference import holds every generated row', () => {
  expect(counts['activities.csv']).toBeGreaterThan(40_000);
  for (const [table, , file] of TABLES) expect(reference[table]!.rows).toBe(counts[file]);
});

describe.each(processStoreTargets('import-crash'))(
  'import killed inside activities.csv on $name',
  (target) => {
    it('completes on the next run, to exactly the tables of an uninterrupted import', async () => {
      const store = await target.create();
      const activities = count(counts['activities.csv']);
      const activitiesLine = (stdout: string) => fileLine(stdout, 'activities.csv');
      try {
        // 1. Kill it the moment it has read all of activities.csv: while it moves the rows into the
        //    table (dropping and rebuilding its indexes on a first load), the heaviest writes it makes.
        const first = await importAndKill(dir, cliEnv(store.env), 'read-done');
        if (!first.killed)
          expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });

        // 2. The store must open again after the crash, and the import complete.
        let last = await runCli(['import', dir], cliEnv(store.env), 120_000);
        expect({ code: last.code, stderr: last.stderr }).toEqual({ code: 0, stderr: '' });
        // The files before activities.csv were committed before the kill.
        for (const file of ['accounts.csv', 'contacts.csv', 'opportunities.csv']) {
          const rows = count(counts[file as keyof MarketCounts]);
          expect(fileLine(last.stdout, file)).toMatch(
            new RegExp(`\\s${rows} rows: 0 new, 0 updated, ${rows} unchanged \\(`),
          );
        }
        const killedMidFile = new RegExp(
          `\\s${activities} rows: ${activities} new, 0 updated, 0 unchanged \\(`,
        );

        // 3. Should the kill have come too late (activities.csv committed, or the run over), kill a
        //    run half-way through reading the file instead: always inside its transaction.
        if (!(first.killed && killedMidFile.test(activitiesLine(last.stdout)))) {
          const second = await importAndKill(dir, cliEnv(store.env), { read: 0.5 });
          expect({ killed: second.killed, stderr: second.stderr }).toEqual({ killed: true, stderr: '' });
          last = await runCli(['import', dir], cliEnv(store.env), 120_000);
          expect({ code: last.code, stderr: last.stderr }).toEqual({ code: 0, stderr: '' });
          expect(activitiesLine(last.stdout)).toMatch(
            new RegExp(`\\s${activities} rows: 0 new, 0 updated, ${activities} unchanged \\(`),
          );
        }

        expect(await store.use(fingerprint)).toEqual(reference);
      } finally {
        await store.dispose();
      }
    }, 120_000);
  },
);
