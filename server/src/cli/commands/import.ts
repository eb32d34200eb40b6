import { readConfig, withStore } from '../../main';
import { describeStore } from '../describeStore';
import {
  assertImportFolder,
  importDirectory,
  type ImportReport,
} from '../../services/import/importDirectory';
import { createProgress } from '../progress';
import { reportFailure } from '../failure';

export async function importCommand(dir: string, options: { reportDir?: string }): Promise<void> {
  try {
    const config = readConfig();
    assertImportFolder(dir); // before the store is opened (and, on a new data folder, created)
    const progress = createProgress();
    const report = await withStore(config, (db) =>
      importDirectory({
        db,
        dir,
        reportDir: options.reportDir,
        onProgress: (p) => progress.update(p.file, p.bytesRead, p.totalBytes, 'bytes'),
      }),
    );
    progress.done();
    process.stdout.write(formatImportReport(report, describeStore(config)));
    // A failed file must not pass for success: what runs next (scoring) would use partial data.
    const failed = report.files.filter((f) => f.status === 'failed');
    for (const f of failed) {
      process.stderr.write(`signalfit: ${f.file} was not imported: ${oneLine(f.error ?? 'unknown error')}\n`);
    }
    if (failed.length > 0) {
      const landed = report.files.length - failed.length;
      process.stderr.write(
        `signalfit: ${failed.length} of ${report.files.length} files failed (${failed.map((f) => f.file).join(', ')}); ` +
          `${landed > 0 ? `the other ${landed} landed` : 'nothing landed'}: fix them and run the import again\n`,
      );
      process.exitCode = 1;
    } else if (report.importedRows === 0) {
      process.stderr.write('signalfit: nothing could be imported (see the reasons above)\n');
      process.exitCode = 1;
    }
  } catch (error) {
    reportFailure(error);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

export function formatImportReport(report: ImportReport, store: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const lines = report.files.map((f) => {
    if (f.status === 'failed') return `  ${f.file.padEnd(18)} FAILED: ${f.error}`;
    const rejected = f.rejected > 0 ? `, ${n(f.rejected)} rejected → ${f.rejectsFile}` : '';
    return (
      `  ${f.file.padEnd(18)} ${n(f.rows)} rows: ${n(f.inserted)} new, ${n(f.updated)} updated, ` +
      `${n(f.unchanged)} unchanged${rejected} (${f.seconds.toFixed(1)} s)`
    );
  });
  const failed = report.files.filter((f) => f.status === 'failed').length;
  const summary =
    `imported ${n(report.importedRows)} rows from ${report.files.length - failed} of ${report.files.length} files ` +
    `into the ${store}; ${n(report.rejectedRows)} rows rejected${failed ? `, ${failed} files failed` : ''} ` +
    `in ${report.seconds.toFixed(1)} s (summary: ${report.summaryFile})`;
  return `${lines.join('\n')}\n${summary}\n`;
}
