import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { CANONICAL_FILES, type CanonicalEntity } from '../../domain/canonical';
import { demoKeywords, generateMarket } from '../../domain/demo';
import { IMPORT_FORMATS } from '../import/formats';
import { TRUTH_FILE, writeMarketCsv } from './writeMarketCsv';

const END_DATE = new Date('2026-01-01T00:00:00.000Z');
const SEED = 11;
const ACCOUNTS = 60;

function readCsv(file: string): { header: string[]; records: Array<Record<string, string>> } {
  const text = readFileSync(file, 'utf8');
  const [header = []] = parse(text, { to_line: 1 }) as string[][];
  const records = parse(text, { columns: true }) as Array<Record<string, string>>;
  return { header, records };
}

/** A canonical row as the import reads it back: the CSV record through the import's own row parser. */
function parsed(entity: CanonicalEntity, record: Record<string, string>): unknown {
  const result = IMPORT_FORMATS[entity].parseRow(record);
  if (!result.ok)
    throw new Error(
      `${entity} row ${JSON.stringify(record)} rejected: ${result.column ?? 'row'} ${result.reason}`,
    );
  return result.row;
}

describe('writeMarketCsv', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'signalfit-market-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the canonical files and the truth, which read back to the generated rows', async () => {
    const progress: number[] = [];
    const target = path.join(dir, 'nested', 'market');
    const counts = await writeMarketCsv({
      dir: target,
      seed: SEED,
      accounts: ACCOUNTS,
      endDate: END_DATE,
      onProgress: (done) => progress.push(done),
    });

    const market = [...generateMarket({ seed: SEED, accounts: ACCOUNTS, endDate: END_DATE })];
    const expected: Record<CanonicalEntity, unknown[]> = {
      accounts: market.map((item) => item.account),
      contacts: market.flatMap((item) => item.contacts),
      opportunities: market.flatMap((item) => item.opportunities),
      activities: market.flatMap((item) => item.activities),
      keywords: demoKeywords(),
    };
    for (const entity of Object.keys(expected) as CanonicalEntity[]) {
      const { file, columns } = CANONICAL_FILES[entity];
      const { header, records } = readCsv(path.join(target, file));
      expect(header).toEqual([...columns]);
      expect(counts[file]).toBe(expected[entity].length);
      expect(records.map((record) => parsed(entity, record))).toEqual(expected[entity]);
    }

    const truth = readCsv(path.join(target, TRUTH_FILE));
    expect(truth.header).toEqual(['account_id', 'true_fit', 'fit_tier', 'cycles']);
    expect(counts[TRUTH_FILE]).toBe(ACCOUNTS);
    expect(
      truth.records.map((record) => ({
        account_id: record.account_id,
        true_fit: Number(record.true_fit),
        fit_tier: record.fit_tier,
        cycles: JSON.parse(record.cycles as string),
      })),
    ).toEqual(market.map((item) => JSON.parse(JSON.stringify(item.truth))));
    expect(truth.records.some((record) => record.cycles !== '[]')).toBe(true);

    expect(progress).toEqual([ACCOUNTS]);
    expect(counts['activities.csv']).toBeGreaterThan(ACCOUNTS * 100);
  });

  it('reports progress every 100 accounts and at the end', async () => {
    const progress: number[] = [];
    await writeMarketCsv({
      dir,
      seed: SEED,
      accounts: 250,
      endDate: END_DATE,
      months: 3,
      onProgress: (done) => progress.push(done),
    });
    expect(progress).toEqual([100, 200, 250]);
  });

  it('writes headers only for an empty market, and the keywords', async () => {
    const counts = await writeMarketCsv({ dir, seed: SEED, accounts: 0, endDate: END_DATE });
    expect(counts).toEqual({
      'accounts.csv': 0,
      'contacts.csv': 0,
      'opportunities.csv': 0,
      'activities.csv': 0,
      'keywords.csv': demoKeywords().length,
      'demo_truth.csv': 0,
    });
    expect(readFileSync(path.join(dir, 'accounts.csv'), 'utf8')).toBe(
      `${CANONICAL_FILES.accounts.columns.join(',')}\n`,
    );
  });

  it('fails when the folder cannot be created', async () => {
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    await expect(
      writeMarketCsv({ dir: path.join(blocker, 'market'), seed: SEED, accounts: 5, endDate: END_DATE }),
    ).rejects.toThrow(/ENOTDIR|EEXIST/);
  });

  it('fails, without crashing the process, when a file cannot be written', async () => {
    mkdirSync(path.join(dir, 'activities.csv')); // a folder where the file should go
    await expect(writeMarketCsv({ dir, seed: SEED, accounts: 300, endDate: END_DATE })).rejects.toThrow(
      /EISDIR/,
    );
    // Every file is closed when the promise settles: nothing appears in the folder afterwards.
    const filesAtFailure = readdirSync(dir).sort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readdirSync(dir).sort()).toEqual(filesAtFailure);
  });
});
