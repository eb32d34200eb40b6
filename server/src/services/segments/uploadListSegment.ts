import { listColumns, listRowKey, MAX_LIST_ROWS, type ListColumns } from '../../domain/segments/listUpload';
import { AppError } from '../../errors';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { CsvReader, type CsvRow } from '../import/csvReader';
import { recordMembers } from './recordMembers';
import { segmentName } from './segmentInput';
import {
  findSegment,
  lockSegments,
  nameTaken,
  recordChange,
  withUniqueName,
  type Segment,
} from './segmentRecords';

export interface UploadListSegmentProps {
  db: Db;
  actor: Actor;
  /** The list segment's name: made when no segment has it, its list replaced (or added to) otherwise. */
  name: string;
  /** The CSV (RFC 4180, a header line naming `account_id` and/or `domain`), whole or in pieces. */
  csv: string | Iterable<string> | AsyncIterable<string>;
  /** The segment's folder; left as it is when absent. */
  folder?: string | null;
  /** Add the matched accounts to the list instead of replacing it. */
  append?: boolean;
}

/** A row of the list that is not a member: its line (the header is line 1), what it held and why. */
export interface UnmatchedRow {
  line: number;
  value: string;
  reason: string;
}

export interface UploadListResult {
  segment: Segment;
  /** Data rows read (the header not counted). */
  rows: number;
  /** Rows that named an account of the store. */
  matched: number;
  unmatched: UnmatchedRow[];
}

interface Wanted {
  line: number;
  by: 'account_id' | 'domain';
  value: string;
  written: string;
}

/**
 * A list segment from a CSV of account ids or domains (docs/segments.md "List segments"). Every
 * row that names an account of the store makes it a member (a domain shared by several accounts
 * makes them all members); every other row is reported with its line, value and reason, and the
 * good rows are kept. More than MAX_LIST_ROWS data rows, or no `account_id` / `domain` column,
 * refuse the whole file and store nothing. The list, its history row and the members of the
 * current run are written in one transaction.
 */
export async function uploadListSegment(props: UploadListSegmentProps): Promise<UploadListResult> {
  const { db, actor } = props;
  authorize(actor, 'segments.edit', 'uploading list segments');
  const named = segmentName.safeParse(props.name);
  if (!named.success)
    throw new AppError('validation_failed', `segment name: ${named.error.issues[0]!.message}`);
  const name = named.data;

  const { wanted, unmatched, rows } = await readList(props.csv);
  const accountsOf = await matchAccounts(db, wanted);
  const memberIds = new Set<string>();
  let matched = 0;
  for (const row of wanted) {
    const accounts = accountsOf(row);
    if (accounts.length === 0) {
      unmatched.push({
        line: row.line,
        value: row.written,
        reason: row.by === 'account_id' ? 'unknown account id' : 'no account with that domain',
      });
    } else {
      matched += 1;
      for (const id of accounts) memberIds.add(id);
    }
  }
  unmatched.sort((a, b) => a.line - b.line);

  const by = actorLabel(actor);
  const ids = [...memberIds].sort();
  const report = { rows, matched, unmatched: unmatched.length, append: props.append ?? false };
  const id = await withUniqueName(name, () =>
    db.transaction(async (tx) => {
      await lockSegments(tx);
      const [existing] = await tx.query<{
        id: string;
        kind: string;
        name: string;
        folder: string | null;
        version: number;
      }>('SELECT id, kind, name, folder, version FROM segments WHERE lower(name) = lower($1)', [name]);
      if (existing && existing.kind !== 'list') throw listNameTaken(existing.name, existing.kind);
      if (!existing) {
        const folder = props.folder ?? null;
        const [row] = await tx.query<{ id: string }>(
          `INSERT INTO segments (name, folder, owner, kind, created_by, updated_by)
           VALUES ($1, $2, $3, 'list', $3, $3) RETURNING id`,
          [name, folder, by],
        );
        const segmentId = Number(row!.id);
        await addMembers(tx, segmentId, ids);
        await recordChange(tx, {
          segmentId,
          version: 1,
          action: 'created',
          by,
          oldValue: null,
          newValue: {
            name,
            folder,
            tags: [],
            kind: 'list',
            definition: null,
            listMembers: ids.length,
            ...report,
          },
        });
        await recordMembers(tx, { id: segmentId, name });
        await recordAudit(tx, actor, {
          action: 'segment.upload_list',
          targetType: 'segment',
          targetId: String(segmentId),
          summary: `created list segment "${name}" from an uploaded list`,
          counts: { rows, matched, unmatched: unmatched.length, added: ids.length, removed: 0 },
        });
        return segmentId;
      }

      const segmentId = Number(existing.id);
      const [before] = await tx.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM segment_list_members WHERE segment_id = $1',
        [segmentId],
      );
      const removed = props.append ? 0 : await removeOthers(tx, segmentId, ids);
      const added = await addMembers(tx, segmentId, ids);
      const folderChanged = props.folder !== undefined && props.folder !== existing.folder;
      if (removed + added === 0 && !folderChanged) return segmentId;
      const version = existing.version + (removed + added > 0 ? 1 : 0);
      await tx.query(
        `UPDATE segments SET version = $2, folder = $3, updated_at = now(), updated_by = $4 WHERE id = $1`,
        [segmentId, version, folderChanged ? props.folder : existing.folder, by],
      );
      const listMembers = before!.n - removed + added;
      await recordChange(tx, {
        segmentId,
        version,
        action: 'list_uploaded',
        by,
        oldValue: { listMembers: before!.n, ...(folderChanged ? { folder: existing.folder } : {}) },
        newValue: {
          listMembers,
          added,
          removed,
          ...report,
          ...(folderChanged ? { folder: props.folder } : {}),
        },
      });
      await recordMembers(tx, { id: segmentId, name: existing.name });
      await recordAudit(tx, actor, {
        action: 'segment.upload_list',
        targetType: 'segment',
        targetId: String(segmentId),
        summary: `${props.append ? 'added to' : 'replaced'} the list of segment "${existing.name}"`,
        counts: { rows, matched, unmatched: unmatched.length, added, removed },
      });
      return segmentId;
    }),
  );
  return { segment: await findSegment(db, id), rows, matched, unmatched };
}

function listNameTaken(name: string, kind: string): AppError {
  const error = nameTaken(name);
  return new AppError(
    'conflict',
    `${error.message} (a ${kind} segment: an upload makes or changes list segments only)`,
  );
}

/** Reads the CSV: the rows that name an account, and the rows that cannot (with their reasons). */
async function readList(
  csv: UploadListSegmentProps['csv'],
): Promise<{ wanted: Wanted[]; unmatched: UnmatchedRow[]; rows: number }> {
  const reader = new CsvReader();
  let columns: ListColumns | null = null;
  let headerSeen = false;
  let rows = 0;
  const wanted: Wanted[] = [];
  const unmatched: UnmatchedRow[] = [];
  const firstLine = new Map<string, number>();

  const take = (row: CsvRow) => {
    if (!headerSeen) {
      headerSeen = true;
      columns = listColumns(row.cells);
      if (!columns) {
        throw new AppError(
          'bad_request',
          `the list's header (line 1: ${JSON.stringify(row.cells.join(',').slice(0, 200))}) names neither account_id nor domain: add one of them as a column name`,
        );
      }
      return;
    }
    rows += 1;
    if (rows > MAX_LIST_ROWS) {
      throw new AppError(
        'bad_request',
        `the list has more than ${MAX_LIST_ROWS.toLocaleString('en-US')} rows (line ${row.line} is row ${rows.toLocaleString('en-US')}): split it and upload the parts with append; nothing was stored`,
      );
    }
    const raw = row.cells.join(',');
    if (row.problem) {
      unmatched.push({ line: row.line, value: raw.slice(0, 200), reason: row.problem });
      return;
    }
    const key = listRowKey(row.cells, columns!);
    if (key.by === null) {
      unmatched.push({ line: row.line, value: key.value, reason: key.reason });
      return;
    }
    const seen = `${key.by}:${key.value}`;
    const first = firstLine.get(seen);
    if (first !== undefined) {
      unmatched.push({
        line: row.line,
        value: key.by === 'domain' ? key.written : key.value,
        reason: `duplicate of line ${first}`,
      });
      return;
    }
    firstLine.set(seen, row.line);
    wanted.push({
      line: row.line,
      by: key.by,
      value: key.value,
      written: key.by === 'domain' ? key.written : key.value,
    });
  };

  const pieces = typeof csv === 'string' ? [csv] : csv;
  for await (const piece of pieces) for (const row of reader.push(piece)) take(row);
  for (const row of reader.end()) take(row);
  if (!headerSeen)
    throw new AppError(
      'bad_request',
      'the list is empty: it needs a header line naming account_id or domain, then one row per account',
    );
  return { wanted, unmatched, rows };
}

/** The accounts each wanted row names: by id, or every account with that domain (with or without `www.`). */
async function matchAccounts(db: Db, wanted: readonly Wanted[]): Promise<(row: Wanted) => string[]> {
  const ids = wanted.filter((row) => row.by === 'account_id').map((row) => row.value);
  const domains = wanted.filter((row) => row.by === 'domain').map((row) => row.value);
  const knownIds = new Set(
    ids.length === 0
      ? []
      : (
          await db.query<{ id: string }>(
            'SELECT a.id FROM unnest($1::text[]) AS u(id) JOIN accounts a ON a.id = u.id',
            [ids],
          )
        ).map((row) => row.id),
  );
  const byDomain = new Map<string, string[]>();
  if (domains.length > 0) {
    const rows = await db.query<{ id: string; domain: string }>(
      `SELECT a.id, regexp_replace(lower(a.domain), '^www\\.', '') AS domain
         FROM accounts a WHERE lower(a.domain) = ANY($1::text[]) ORDER BY a.id`,
      [[...domains, ...domains.map((domain) => `www.${domain}`)]],
    );
    for (const row of rows) byDomain.set(row.domain, [...(byDomain.get(row.domain) ?? []), row.id]);
  }
  return (row) =>
    row.by === 'account_id' ? (knownIds.has(row.value) ? [row.value] : []) : (byDomain.get(row.value) ?? []);
}

async function addMembers(tx: Db, segmentId: number, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return tx.run(
    `INSERT INTO segment_list_members (segment_id, account_id)
     SELECT $1, u.id FROM unnest($2::text[]) AS u(id) ON CONFLICT DO NOTHING`,
    [segmentId, ids],
  );
}

/** Removes the members the new list does not hold; returns how many. */
async function removeOthers(tx: Db, segmentId: number, ids: readonly string[]): Promise<number> {
  return tx.run(
    `DELETE FROM segment_list_members m
      WHERE m.segment_id = $1 AND NOT EXISTS (SELECT 1 FROM unnest($2::text[]) AS u(id) WHERE u.id = m.account_id)`,
    [segmentId, ids],
  );
}
