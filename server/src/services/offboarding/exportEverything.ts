import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { ZipFile } from 'yazl';
import { authorize, actorLabel, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import {
  exclusionsOf,
  exportColumns,
  groupOf,
  isTableExcluded,
  listTables,
  quoteIdent,
  type Exclusion,
} from './catalogue';
import { instanceId, updateOffboardingState } from './offboardingState';

export interface ManifestFile {
  path: string;
  table: string;
  rows: number;
  sha256: string;
}

/** `manifest.json` (docs/offboarding.md "The manifest"). */
export interface Manifest {
  instance: string;
  exported_at: string;
  files: ManifestFile[];
  excluded: Exclusion[];
}

export interface ExportReport {
  zip: string;
  zipSha256: string;
  manifestPath: string;
  manifest: Manifest;
}

/** Rows per FETCH: memory holds one page of one table, whatever the table's size. */
const PAGE = 2_000;

/**
 * Writes every Signalfit table's rows as CSV (header line, RFC 4180, NULL as an empty field,
 * an empty string as `""`) into `<dir>/signalfit-export-<instance>-<timestamp>.zip`, with
 * `manifest.json` inside it and beside it. All tables are read in one repeatable-read
 * transaction (one consistent snapshot) through a cursor, page by page, and streamed into the zip.
 */
export async function exportEverything(props: {
  db: Db;
  dir: string;
  actor: Actor;
  now?: Date;
  onTable?: (file: ManifestFile) => void;
}): Promise<ExportReport> {
  authorize(props.actor, 'offboarding.manage', 'exporting everything');
  const now = props.now ?? new Date();
  const instance = await instanceId(props.db);
  mkdirSync(props.dir, { recursive: true });
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const zipPath = path.join(path.resolve(props.dir), `signalfit-export-${instance}-${stamp}.zip`);

  const zip = new ZipFile();
  const out = createWriteStream(zipPath);
  zip.outputStream.pipe(out);
  const written = once(out, 'close');
  written.catch(() => undefined); // awaited below; a failure before that is the one reported

  const files: ManifestFile[] = [];
  const excluded: Exclusion[] = await props.db.transaction(async (tx) => {
    await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const tables = await listTables(tx);
    for (const table of tables) {
      if (isTableExcluded(table.name)) continue;
      const { header, select } = exportColumns(table);
      if (header.length === 0) continue; // every column is a secret: listed in `excluded`
      const file = `${groupOf(table.name)}/${table.name}.csv`;
      const entry = new PassThrough();
      zip.addReadStream(entry, file, { mtime: now });
      const hash = createHash('sha256');
      const write = async (text: string) => {
        const bytes = Buffer.from(text, 'utf8');
        hash.update(bytes);
        if (!entry.write(bytes)) await once(entry, 'drain');
      };
      await write(csvLine(header));
      const order = (table.primaryKey.length ? table.primaryKey : header).map(quoteIdent).join(', ');
      await tx.exec(
        `DECLARE offboard_export NO SCROLL CURSOR FOR SELECT ${select} FROM ${quoteIdent(table.name)} ORDER BY ${order}`,
      );
      let rows = 0;
      for (;;) {
        const page = await tx.query<Record<string, string | null>>(`FETCH ${PAGE} FROM offboard_export`);
        if (page.length === 0) break;
        rows += page.length;
        await write(page.map((row) => csvLine(header.map((name) => row[name] ?? null))).join(''));
      }
      await tx.exec('CLOSE offboard_export');
      entry.end();
      const done = { path: file, table: table.name, rows, sha256: hash.digest('hex') };
      files.push(done);
      props.onTable?.(done);
    }
    return exclusionsOf(tables);
  });

  const manifest: Manifest = { instance, exported_at: now.toISOString(), files, excluded };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  zip.addBuffer(Buffer.from(manifestText, 'utf8'), 'manifest.json', { mtime: now });
  zip.end();
  await written;
  const manifestPath = path.join(path.resolve(props.dir), 'manifest.json');
  writeFileSync(manifestPath, manifestText);
  const zipSha256 = await sha256OfFile(zipPath);

  await props.db.transaction(async (tx) => {
    await updateOffboardingState(tx, {
      export: {
        at: now.toISOString(),
        by: actorLabel(props.actor),
        sha256: zipSha256,
        file: path.basename(zipPath),
      },
    });
    await recordAudit(
      tx,
      props.actor,
      {
        action: 'offboarding.export',
        targetType: 'export',
        targetId: zipSha256,
        summary: `exported ${files.length} tables to ${path.basename(zipPath)}`,
        counts: { files: files.length, rows: files.reduce((sum, f) => sum + f.rows, 0) },
      },
      now,
    );
  });
  return { zip: zipPath, zipSha256, manifestPath, manifest };
}

/**
 * One CSV line (RFC 4180): a field with a comma, quote or line break is quoted, quotes doubled;
 * NULL is an empty field and an empty string `""`, as PostgreSQL's COPY … CSV writes them.
 */
export function csvLine(fields: readonly (string | null)[]): string {
  return `${fields
    .map((field) => {
      if (field === null) return '';
      if (field === '' || /[",\r\n]/.test(field)) return `"${field.replace(/"/g, '""')}"`;
      return field;
    })
    .join(',')}\n`;
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
