import { startOfUtcDay } from '../../domain/dates';
import type { MarketShape } from '../../domain/demo';
import type { Db } from '../../store/db';
import type { ImportReport } from '../import/importDirectory';
import type { ImportProgress } from '../import/importFile';
import { scoreStore, type ScoreStoreResult, type ScoringObserver } from '../scoring/scoreStore';
import { seedDemoMarket } from './seedDemoMarket';
import { OPERATOR } from '../../policies/policies';

export interface DemoHooks {
  onGenerateProgress?: (done: number, total: number) => void;
  onImportProgress?: (progress: ImportProgress) => void;
  /** Called when the demo is imported and scoring starts. */
  onScoring?: () => void;
}

export type DemoSeedReport = ImportReport & { scoring: ScoreStoreResult };

/**
 * `signalfit demo` and `npm start` on an empty store: generates the demo market ending today
 * (UTC) into the empty store, then scores it as of today.
 */
export async function seedDemo(
  db: Db,
  options: { accounts: number; seed: number; shape?: MarketShape; observer?: ScoringObserver } & DemoHooks,
): Promise<DemoSeedReport> {
  const today = startOfUtcDay(new Date());
  const report = await seedDemoMarket({
    db,
    seed: options.seed,
    accounts: options.accounts,
    shape: options.shape,
    endDate: today,
    onGenerateProgress: options.onGenerateProgress,
    onImportProgress: options.onImportProgress,
  });
  options.onScoring?.();
  return {
    ...report,
    scoring: await scoreStore(db, { asOf: today, observer: options.observer, actor: OPERATOR }),
  };
}
