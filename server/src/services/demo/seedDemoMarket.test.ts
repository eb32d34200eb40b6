import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedDemoMarket } from './seedDemoMarket';
import { writeMarketCsv, type MarketCounts } from './writeMarketCsv';

const END_DATE = new Date('2026-01-01T00:00:00.000Z');
const SEED = 19;
const ACCOUNTS = 20;

const TABLES = {
  accounts: 'accounts.csv',
  contacts: 'contacts.csv',
  opportunities: 'opportunities.csv',
  activities: 'activities.csv',
  keywords: 'keywords.csv',
} as const;

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of Object.keys(TABLES)) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = row!.n;
  }
  return counts;
}

// The same market written as CSV: what the store must hold after seeding.
let csvDir: string;
let expected: MarketCounts;
beforeAll(async () => {
  csvDir = mkdtempSync(path.join(tmpdir(), 'signalfit-seed-expected-'));
  expected = await writeMarketCsv({ dir: csvDir, seed: SEED, accounts: ACCOUNTS, endDate: END_DATE });
});
afterAll(() => {
  rmSync(csvDir, { recursive: true, force: true });
});

describe.each(testStoreTargets())('seedDemoMarket on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  it('fills an empty store with the market writeMarketCsv writes for the same seed', async () => {
    const generated: Array<[number, number]> = [];
    const report = await seedDemoMarket({
      db,
      seed: SEED,
      accounts: ACCOUNTS,
      endDate: END_DATE,
      onGenerateProgress: (done, total) => generated.push([done, total]),
    });

    expect(await tableCounts(db)).toEqual(
      Object.fromEntries(Object.entries(TABLES).map(([table, file]) => [table, expected[file]])),
    );
    expect(expected['accounts.csv']).toBe(ACCOUNTS);
    expect(expected['activities.csv']).toBeGreaterThan(ACCOUNTS);
    expect(report.rejectedRows).toBe(0);
    expect(report.importedRows).toBe(Object.values(TABLES).reduce((n, file) => n + expected[file], 0));
    expect(report.files.every((f) => f.status === 'imported')).toBe(true);
    expect(generated).toEqual([[ACCOUNTS, ACCOUNTS]]);

    // The very same accounts, not just as many.
    const ids = (
      parse(readFileSync(path.join(csvDir, 'accounts.csv')), { columns: true }) as Array<{ id: string }>
    )
      .map((r) => r.id)
      .sort();
    const stored = await db.query<{ id: string }>('SELECT id FROM accounts ORDER BY id COLLATE "C"');
    expect(stored.map((r) => r.id)).toEqual(ids);

    // The CSV files it went through are gone.
    expect(existsSync(report.dir)).toBe(false);
  }, 60_000);

  it('fails, naming the file and why, when a generated file does not import whole', async () => {
    const other = await target.open();
    try {
      // Every activity breaks this rule: the activities file fails, the files before it land.
      await other.exec("ALTER TABLE activities ADD CONSTRAINT refuse_all CHECK (type = 'none') NOT VALID");
      const failure = await seedDemoMarket({
        db: other,
        seed: SEED,
        accounts: ACCOUNTS,
        endDate: END_DATE,
      }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe('import_failed');
      expect((failure as AppError).message).toMatch(
        /^the demo market's activities\.csv did not import whole \(.*refuse_all.*\): start again with an empty store$/,
      );
    } finally {
      await other.close();
    }
  }, 60_000);

  it('refuses a store that already holds accounts with a conflict, and changes nothing', async () => {
    await db.query(
      "INSERT INTO accounts (id, name) VALUES ('001-existing', 'Existing') ON CONFLICT DO NOTHING",
    );
    const before = await tableCounts(db);
    const generated: number[] = [];

    const failure = await seedDemoMarket({
      db,
      seed: SEED + 1,
      accounts: 5,
      endDate: END_DATE,
      onGenerateProgress: (done) => generated.push(done),
    }).then(
      () => null,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('conflict');
    expect((failure as AppError).message).toContain(`already holds ${before.accounts} accounts`);
    expect(generated).toEqual([]);
    expect(await tableCounts(db)).toEqual(before);
  }, 60_000);
});
