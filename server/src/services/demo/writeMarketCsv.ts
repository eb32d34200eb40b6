import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { CANONICAL_FILES, toCsvRecord } from '../../domain/canonical';
import { demoKeywords, generateMarket, type AccountTruth, type MarketShape } from '../../domain/demo';

export interface WriteMarketCsvProps {
  /** Target folder; created if missing. Existing files of the same names are overwritten. */
  dir: string;
  seed: number;
  accounts: number;
  /** Exclusive end of the generated history. */
  endDate: Date;
  /** Length of the history in months (default 18). */
  months?: number;
  /** Multiplier of the background activity (default 1): see MarketOptions. */
  backgroundScale?: number;
  /** The market's shape (domain/demo/shape.ts); default: the original demo market. */
  shape?: MarketShape;
  /** Called every 100 accounts and once at the end with the number of accounts written. */
  onProgress?: (accountsDone: number) => void;
}

export const TRUTH_FILE = 'demo_truth.csv';
const TRUTH_COLUMNS = ['account_id', 'true_fit', 'fit_tier', 'cycles'] as const;

export type MarketFile = (typeof CANONICAL_FILES)[keyof typeof CANONICAL_FILES]['file'] | typeof TRUTH_FILE;
/** Data rows (header excluded) written to each file. */
export type MarketCounts = Record<MarketFile, number>;

const FLUSH_BYTES = 256 * 1024;
const PROGRESS_EVERY = 100;

/** One CSV file: rows are serialised in column order, buffered, and written with backpressure. */
class CsvFile {
  private readonly stream: WriteStream;
  private pending = '';
  /** The stream's error, kept until the next call can throw it (an unheard 'error' would crash the process). */
  private failure: Error | null = null;
  rows = 0;

  constructor(
    filePath: string,
    private readonly columns: readonly string[],
  ) {
    this.stream = createWriteStream(filePath, { highWaterMark: 1024 * 1024 });
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
    this.pending = stringify([columns]);
  }

  /** Adds records (already strings, keyed by column); resolves once the stream can take more. */
  async add(records: ReadonlyArray<Record<string, string>>): Promise<void> {
    if (this.failure !== null) throw this.failure;
    if (records.length === 0) return;
    this.pending += stringify(records.map((record) => this.columns.map((column) => record[column] ?? '')));
    this.rows += records.length;
    if (this.pending.length >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    const chunk = this.pending;
    this.pending = '';
    if (chunk !== '' && !this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }

  /** Stops writing and resolves once the file is closed: a caller that goes on (say, to delete the folder) races no open or write still under way. */
  async abandon(): Promise<void> {
    if (this.stream.closed) return;
    const closed = new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
    this.stream.destroy();
    await closed;
  }
}

function truthRecord(truth: AccountTruth): Record<string, string> {
  return {
    account_id: truth.account_id,
    true_fit: truth.true_fit.toFixed(4),
    fit_tier: truth.fit_tier,
    cycles: JSON.stringify(truth.cycles),
  };
}

/**
 * Writes a generated demo market as the canonical CSV files (accounts, contacts, opportunities,
 * activities, keywords) plus `demo_truth.csv` (account_id, true_fit, fit_tier, and the buying
 * cycles as a JSON array), one account at a time: memory stays flat however large the market.
 */
export async function writeMarketCsv(props: WriteMarketCsvProps): Promise<MarketCounts> {
  await mkdir(props.dir, { recursive: true });
  const open = (file: string, columns: readonly string[]) => new CsvFile(path.join(props.dir, file), columns);
  const files = {
    accounts: open(CANONICAL_FILES.accounts.file, CANONICAL_FILES.accounts.columns),
    contacts: open(CANONICAL_FILES.contacts.file, CANONICAL_FILES.contacts.columns),
    opportunities: open(CANONICAL_FILES.opportunities.file, CANONICAL_FILES.opportunities.columns),
    activities: open(CANONICAL_FILES.activities.file, CANONICAL_FILES.activities.columns),
    keywords: open(CANONICAL_FILES.keywords.file, CANONICAL_FILES.keywords.columns),
    truth: open(TRUTH_FILE, TRUTH_COLUMNS),
  };
  const all = Object.values(files);

  try {
    await files.keywords.add(demoKeywords(props.shape).map(toCsvRecord));
    let done = 0;
    const market = generateMarket({
      seed: props.seed,
      accounts: props.accounts,
      endDate: props.endDate,
      months: props.months,
      backgroundScale: props.backgroundScale,
      shape: props.shape,
    });
    for (const item of market) {
      await files.accounts.add([toCsvRecord(item.account)]);
      await files.contacts.add(item.contacts.map(toCsvRecord));
      await files.opportunities.add(item.opportunities.map(toCsvRecord));
      await files.activities.add(item.activities.map(toCsvRecord));
      await files.truth.add([truthRecord(item.truth)]);
      done++;
      if (done % PROGRESS_EVERY === 0) props.onProgress?.(done);
    }
    for (const file of all) await file.close();
    if (done % PROGRESS_EVERY !== 0 || done === 0) props.onProgress?.(done);
  } catch (error) {
    await Promise.all(all.map((file) => file.abandon()));
    throw error;
  }

  const counts: MarketCounts = {
    [CANONICAL_FILES.accounts.file]: files.accounts.rows,
    [CANONICAL_FILES.contacts.file]: files.contacts.rows,
    [CANONICAL_FILES.opportunities.file]: files.opportunities.rows,
    [CANONICAL_FILES.activities.file]: files.activities.rows,
    [CANONICAL_FILES.keywords.file]: files.keywords.rows,
    [TRUTH_FILE]: files.truth.rows,
  };
  return counts;
}
