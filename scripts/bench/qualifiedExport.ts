/**
 * The qualified rule checked on what a user gets: the export of a run as of `asOf`, every row's
 * `qualified` equal to the rule on its fit and stage, and `qualified_since` set exactly when
 * qualified. The score runs are deleted first so that the export scores the day afresh.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { isQualified } from '../../server/src/domain/scoring/qualified';
import { exportScores } from '../../server/src/services/scoring/exportScores';
import type { Db } from '../../server/src/store/db';

export async function checkQualifiedExport(
  db: Db,
  asOf: string,
  today: Date,
): Promise<{ qualifiedRows: number; holds: boolean }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'signalfit-qualified-'));
  try {
    await db.exec('DELETE FROM score_runs');
    await exportScores(db, { dir, asOf, today });
    const rows = parse(readFileSync(path.join(dir, 'account_scores.csv')), { columns: true }) as Array<
      Record<string, string>
    >;
    return {
      qualifiedRows: rows.filter((row) => row.qualified === 'true').length,
      holds: rows.every(
        (row) =>
          (row.qualified === 'true') ===
            isQualified((row.profile_fit || null) as never, (row.buying_stage || null) as never) &&
          (row.qualified === 'true') === (row.qualified_since !== ''),
      ),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
