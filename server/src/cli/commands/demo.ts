import { AppError } from '../../errors';
import { startOfUtcDay } from '../../domain/dates';
import { readConfig, withStore } from '../../main';
import { seedDemo } from '../../services/demo/seedDemo';
import { describeStore } from '../describeStore';
import { parseDayOption } from '../dates';
import { writeMarketCsv } from '../../services/demo/writeMarketCsv';
import { createProgress } from '../progress';
import { reportFailure } from '../failure';
import { readShapeFile } from '../shapeFile';
import { formatImportReport } from './import';
import { formatScoreResult } from './score';

interface DemoOptions {
  accounts?: number;
  seed?: number;
  csv?: string;
  endDate?: string;
  shape?: string;
}

export async function demoCommand(options: DemoOptions): Promise<void> {
  try {
    const config = readConfig();
    const accounts = options.accounts ?? config.demo.accounts;
    if (accounts < 1 || accounts > 1_000_000) {
      throw new AppError('bad_request', `--accounts must be between 1 and 1,000,000 (got ${accounts})`);
    }
    const seed = options.seed ?? config.demo.seed;
    const endDate = options.endDate
      ? parseDayOption('--end-date', options.endDate)
      : startOfUtcDay(new Date());
    const shape = options.shape === undefined ? undefined : readShapeFile(options.shape);
    const progress = createProgress();
    const onGenerateProgress = (done: number) => progress.update('generating', done, accounts, 'accounts');

    if (options.csv) {
      const counts = await writeMarketCsv({
        dir: options.csv,
        seed,
        accounts,
        endDate,
        shape,
        onProgress: onGenerateProgress,
      });
      progress.done();
      const parts = Object.entries(counts).map(
        ([file, rows]) => `${file} ${Number(rows).toLocaleString('en-US')}`,
      );
      process.stdout.write(`wrote the demo market (seed ${seed}) to ${options.csv}: ${parts.join(', ')}\n`);
      return;
    }
    if (options.endDate) {
      throw new AppError('bad_request', '--end-date goes with --csv: a demo in the store always ends today');
    }
    const report = await withStore(config, (db) =>
      seedDemo(db, {
        accounts,
        seed,
        shape,
        onGenerateProgress,
        onImportProgress: (p) => progress.update(`importing ${p.file}`, p.bytesRead, p.totalBytes, 'bytes'),
        onScoring: () => progress.update('scoring', 0, 1, 'steps'),
      }),
    );
    progress.done();
    process.stdout.write(
      formatImportReport(report, describeStore(config)).replace(/ \(summary: [^)]*\)/, '') +
        formatScoreResult(report.scoring, describeStore(config)),
    );
  } catch (error) {
    reportFailure(error);
  }
}
