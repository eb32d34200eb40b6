/**
 * `signalfit segments …` (docs/command-line.md "Segments"): the segment use cases, run as the
 * command line's operator (policies.OPERATOR). Files are read and written relative to the
 * directory the command was run from.
 */
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../errors';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import { spreadsheetSafeCsv } from '../../services/csv/spreadsheetSafe';
import { createSegment } from '../../services/segments/createSegment';
import { listSegments } from '../../services/segments/listSegments';
import { segmentMembers } from '../../services/segments/membership';
import { publishSegment } from '../../services/segments/publishSegment';
import {
  createSegmentInput,
  parseSegmentFile,
  updateSegmentInput,
} from '../../services/segments/segmentInput';
import { findSegment, type Segment } from '../../services/segments/segmentRecords';
import { unpublishSegment } from '../../services/segments/unpublishSegment';
import { updateSegment } from '../../services/segments/updateSegment';
import { uploadListSegment } from '../../services/segments/uploadListSegment';
import { parseDayOption } from '../dates';
import { runCommand } from '../failure';
import { readJsonFile } from '../jsonFile';
import { formatTable } from '../table';

const n = (value: number) => value.toLocaleString('en-US');
const CSV_OPTIONS = spreadsheetSafeCsv();

const withConfiguredStore = <T>(work: Parameters<typeof withStore<T>>[1]) => withStore(readConfig(), work);

/** `segments create --file <segment.json>`: prints the new segment's id, nothing else. */
export function createSegmentCommand(options: { file: string }): Promise<void> {
  return runCommand(async () => {
    const input = parseSegmentFile(createSegmentInput, readJsonFile(options.file), options.file);
    const segment = await withConfiguredStore((db) => createSegment({ db, actor: OPERATOR, input }));
    process.stdout.write(`${segment.id}\n`);
  });
}

/** `segments update <name|id> --file <segment.json>`: the file's fields replace the segment's. */
export function updateSegmentCommand(ref: string, options: { file: string }): Promise<void> {
  return runCommand(async () => {
    const changes = parseSegmentFile(updateSegmentInput, readJsonFile(options.file), options.file);
    const segment = await withConfiguredStore((db) => updateSegment({ db, actor: OPERATOR, ref, changes }));
    process.stdout.write(
      `updated segment ${segment.id} "${segment.name}": version ${segment.version}${membersText(segment)}\n`,
    );
  });
}

function membersText(segment: Segment): string {
  return segment.members === null ? '' : `, ${n(segment.members)} members as of ${segment.membersAsOf}`;
}

/**
 * `segments upload <name> <file.csv> [--folder F] [--append] [--report-dir DIR]`: the count of
 * unmatched rows on stdout, the rows themselves (line, value, reason) in DIR/unmatched.csv
 * (default: the CSV's folder).
 */
export function uploadSegmentCommand(
  name: string,
  file: string,
  options: { folder?: string; append?: boolean; reportDir?: string },
): Promise<void> {
  return runCommand(async () => {
    const source = path.resolve(file);
    const reportDir = path.resolve(options.reportDir ?? path.dirname(source));
    const csv = createReadStream(source, { encoding: 'utf8' });
    const opened = new Promise<void>((resolve, reject) => {
      csv.once('open', () => resolve());
      csv.once('error', (error: NodeJS.ErrnoException) =>
        reject(new AppError('bad_request', `cannot read ${file}: ${error.code ?? error.message}`)),
      );
    });
    await opened; // before the store is opened: a wrong path costs nothing
    const result = await withConfiguredStore((db) =>
      uploadListSegment({
        db,
        actor: OPERATOR,
        name,
        csv: csv as AsyncIterable<string>,
        folder: options.folder,
        append: options.append ?? false,
      }),
    );
    mkdirSync(reportDir, { recursive: true });
    const report = path.join(reportDir, 'unmatched.csv');
    writeFileSync(
      report,
      stringify(
        [['line', 'value', 'reason'], ...result.unmatched.map((row) => [row.line, row.value, row.reason])],
        CSV_OPTIONS,
      ),
    );
    const { segment } = result;
    process.stdout.write(
      `${options.append ? 'added to' : 'uploaded'} list segment ${segment.id} "${segment.name}": ${n(result.rows)} rows, ` +
        `${n(result.matched)} matched, ${n(result.unmatched.length)} unmatched (${report})` +
        `${membersText(segment)}\n`,
    );
  });
}

/** `segments list [--json]`. */
export function listSegmentsCommand(options: { json?: boolean }): Promise<void> {
  return runCommand(async () => {
    const segments = await withConfiguredStore((db) => listSegments({ db, actor: OPERATOR }));
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ segments }, null, 2)}\n`);
      return;
    }
    const rows = [
      ['name', 'id', 'kind', 'folder', 'tags', 'count', 'published'],
      ...segments.map((s) => [
        s.name,
        String(s.id),
        s.kind,
        s.folder ?? '',
        s.tags.join(', '),
        s.members === null ? '–' : n(s.members),
        s.published ? 'yes' : 'no',
      ]),
    ];
    process.stdout.write(`${formatTable(rows)}\n`);
  });
}

/**
 * `segments members <name|id> [--as-of YYYY-MM-DD] [--out FILE.csv]`: the account ids of the
 * recorded membership of the run current then (a header `account_id`, one id a line).
 */
export function segmentMembersCommand(ref: string, options: { asOf?: string; out?: string }): Promise<void> {
  return runCommand(async () => {
    if (options.asOf) parseDayOption('--as-of', options.asOf);
    const { segment, members } = await withConfiguredStore(async (db) => {
      const found = await findSegment(db, ref);
      return { segment: found, members: await segmentMembers(db, found.id, { asOf: options.asOf }) };
    });
    if (members.runId === null) {
      throw new AppError(
        'not_found',
        options.asOf
          ? `no complete score run on or before ${options.asOf}: members are read from a run (signalfit score --as-of)`
          : 'no complete score run yet: run signalfit score first',
      );
    }
    if (members.evaluatedLive) {
      process.stderr.write(
        `signalfit: the run of ${members.asOf} recorded no membership of "${segment.name}" (the segment is newer): ` +
          `its current definition was evaluated on that run\n`,
      );
    }
    const csv = stringify([['account_id'], ...members.accountIds.map((id) => [id])], CSV_OPTIONS);
    if (options.out) {
      const out = path.resolve(options.out);
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, csv);
      process.stderr.write(
        `signalfit: ${n(members.accountIds.length)} members of "${segment.name}" as of ${members.asOf} written to ${out}\n`,
      );
    } else {
      process.stdout.write(csv);
    }
  });
}

/** `segments publish <name|id>`. */
export function publishSegmentCommand(ref: string): Promise<void> {
  return runCommand(async () => {
    const segment = await withConfiguredStore((db) => publishSegment({ db, actor: OPERATOR, ref }));
    process.stdout.write(
      `published segment ${segment.id} "${segment.name}": its members' Signalfit_Segments__c get the name at the next write-back (signalfit writeback salesforce)\n`,
    );
  });
}

/** `segments unpublish <name|id>`. */
export function unpublishSegmentCommand(ref: string): Promise<void> {
  return runCommand(async () => {
    const segment = await withConfiguredStore((db) => unpublishSegment({ db, actor: OPERATOR, ref }));
    process.stdout.write(
      `unpublished segment ${segment.id} "${segment.name}": the name leaves Signalfit_Segments__c at the next write-back (signalfit writeback salesforce)\n`,
    );
  });
}
