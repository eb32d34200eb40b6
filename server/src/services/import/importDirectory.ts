import { accessSync, constants, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IMPORT_ORDER } from '../../domain/canonical';
import { AppError } from '../../errors';
import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { refreshCurrentMemberships } from '../segments/membership';
import { IMPORT_FORMATS } from './formats';
import { importFile, type FileImportReport, type ImportProgress } from './importFile';

export interface ImportDirectoryProps {
  db: Db;
  /** Folder holding any subset of the canonical files (accounts.csv, contacts.csv, …). */
  dir: string;
  /** Where `rejected-<file>.csv` and `import-summary.json` go; defaults to `dir`. */
  reportDir?: string;
  onProgress?: (progress: ImportProgress) => void;
  /** Who imports (audit log); default: the command line. */
  actor?: Actor;
}

export interface ImportReport {
  dir: string;
  files: FileImportReport[];
  /** Rows that landed (inserted, updated or already identical) over all files. */
  importedRows: number;
  rejectedRows: number;
  summaryFile: string;
  seconds: number;
}

/**
 * Imports the canonical files of a folder in dependency order (accounts first, whatever order
 * the files were written in). Each file is its own transaction: a file that fails (bad header,
 * unreadable) fails alone and the others still land.
 */
export async function importDirectory(props: ImportDirectoryProps): Promise<ImportReport> {
  const started = Date.now();
  const dir = assertImportFolder(props.dir);
  const reportDir = path.resolve(props.reportDir ?? dir);
  ensureWritable(reportDir);

  const present = new Map(readdirSync(dir).map((name) => [name.toLowerCase(), name]));
  const formats = IMPORT_ORDER.map((entity) => IMPORT_FORMATS[entity]).filter((f) => present.has(f.file));
  if (formats.length === 0) {
    const expected = IMPORT_ORDER.map((e) => IMPORT_FORMATS[e].file).join(', ');
    throw new AppError('import_failed', `${dir} has none of the canonical files (${expected})`);
  }

  const files: FileImportReport[] = [];
  for (const format of formats) {
    const file = path.join(dir, present.get(format.file)!);
    files.push(
      await importFile({
        db: props.db,
        format,
        path: file,
        reportDir,
        onProgress: props.onProgress,
        actor: props.actor,
      }),
    );
  }

  // Account fields, activities and lists may have changed: the current run's cohorts follow.
  await refreshCurrentMemberships(props.db);

  const report: ImportReport = {
    dir,
    files,
    importedRows: files.reduce((n, f) => n + f.inserted + f.updated + f.unchanged, 0),
    rejectedRows: files.reduce((n, f) => n + f.rejected, 0),
    summaryFile: path.join(reportDir, 'import-summary.json'),
    seconds: (Date.now() - started) / 1000,
  };
  writeFileSync(report.summaryFile, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** The folder's absolute path; throws `import_failed` when it is not a folder. */
export function assertImportFolder(folder: string): string {
  const dir = path.resolve(folder);
  if (!isDirectory(dir)) throw new AppError('import_failed', `${dir} is not a folder`);
  return dir;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function ensureWritable(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch {
    throw new AppError(
      'import_failed',
      `cannot write the import report to ${dir}: choose a writable folder with --report-dir`,
    );
  }
}
