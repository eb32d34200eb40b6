/**
 * One measured import, run in its own process by `import.ts` so that its peak memory is its own.
 * Prints one JSON line: seconds, rows and rows/s of activities.csv, and the process's peak RSS.
 *   node bin/tsx.js scripts/bench/importOnce.ts <dir> pglite <dataDir>
 *   node bin/tsx.js scripts/bench/importOnce.ts <dir> postgres <url> <schema>
 * With <dir> = --create-only it only creates and migrates the store (a PGlite folder's first
 * open runs initdb, which alone peaks near 850 MB: the import is measured on an existing store,
 * as a user's second command would run).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importDirectory } from '../../server/src/services/import/importDirectory';
import { migrate } from '../../server/src/store/migrate';
import { openPglite } from '../../server/src/store/pglite';
import { openPostgres } from '../../server/src/store/postgres';

async function main() {
  const [dir, kind, where, schema] = process.argv.slice(2);
  if (!dir || !where || (kind !== 'pglite' && kind !== 'postgres'))
    throw new Error('usage: see the header of importOnce.ts');
  const db =
    kind === 'pglite' ? await openPglite(where) : await openPostgres({ connectionString: where, schema });
  await migrate(db);
  if (dir === '--create-only') {
    await db.close();
    console.log(JSON.stringify({ createdPeakRssMb: process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  const reportDir = mkdtempSync(path.join(tmpdir(), 'signalfit-bench-report-'));
  const report = await importDirectory({ db, dir, reportDir });
  await db.close();
  const activities = report.files.find((f) => f.file === 'activities.csv');
  if (!activities || activities.status !== 'imported')
    throw new Error(`activities.csv failed: ${activities?.error}`);
  console.log(
    JSON.stringify({
      totalSeconds: report.seconds,
      activityRows: activities.rows,
      activitySeconds: activities.seconds,
      phases: activities.phases,
      activityRowsPerSecond: activities.rows / activities.seconds,
      rejected: report.rejectedRows,
      rejectsFile: activities.rejectsFile,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
