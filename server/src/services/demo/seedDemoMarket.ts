import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import { importDirectory, type ImportReport } from '../import/importDirectory';
import type { ImportProgress } from '../import/importFile';
import type { MarketShape } from '../../domain/demo';
import { writeMarketCsv } from './writeMarketCsv';

export interface SeedDemoMarketProps {
  db: Db;
  seed: number;
  accounts: number;
  /** The market's "today": every generated fact happens before it. */
  endDate: Date;
  /** The market's shape (domain/demo/shape.ts); default: the original demo market. */
  shape?: MarketShape;
  onGenerateProgress?: (accountsDone: number, accountsTotal: number) => void;
  onImportProgress?: (progress: ImportProgress) => void;
}

/**
 * Fills an empty store with a generated demo market. It goes through the canonical CSV files
 * and the regular import, so the demo exercises exactly the path a customer's data takes.
 */
export async function seedDemoMarket(props: SeedDemoMarketProps): Promise<ImportReport> {
  const [{ count }] = (await props.db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM accounts',
  )) as [{ count: number }];
  if (count > 0) {
    throw new AppError(
      'conflict',
      `the store already holds ${count} accounts; the demo fills an empty store only (point SIGNALFIT_DATA_DIR at a new folder)`,
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'signalfit-demo-'));
  try {
    await writeMarketCsv({
      dir,
      seed: props.seed,
      accounts: props.accounts,
      endDate: props.endDate,
      shape: props.shape,
      onProgress: (done) => props.onGenerateProgress?.(done, props.accounts),
    });
    const report = await importDirectory({ db: props.db, dir, onProgress: props.onImportProgress });
    // Every generated row must land: a demo on part of its market would score without saying so.
    const incomplete = report.files.find((file) => file.status === 'failed' || file.rejected > 0);
    if (incomplete !== undefined)
      throw new AppError(
        'import_failed',
        `the demo market's ${incomplete.file} did not import whole (${
          incomplete.error ?? `${incomplete.rejected} of ${incomplete.rows} rows rejected`
        }): start again with an empty store`,
      );
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
