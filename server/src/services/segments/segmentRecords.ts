import type { Definition, SegmentKind } from '../../domain/segments/definition';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';

/**
 * A segment as the API, the CLI (`segments list --json`) and the app see it. `members` is the
 * count the current complete run recorded (null until it has one for the segment), as of
 * `membersAsOf`.
 */
export interface Segment {
  id: number;
  name: string;
  description: string | null;
  folder: string | null;
  tags: string[];
  owner: string | null;
  kind: SegmentKind;
  definition: Definition | null;
  published: boolean;
  publishedAt: string | null;
  publishedBy: string | null;
  version: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  members: number | null;
  membersAsOf: string | null;
}

interface SegmentRow {
  id: string;
  name: string;
  description: string | null;
  folder: string | null;
  tags: string[];
  owner: string | null;
  kind: SegmentKind;
  definition: Definition | null;
  published: boolean;
  published_at: Date | string | null;
  published_by: string | null;
  version: number;
  created_at: Date | string;
  created_by: string | null;
  updated_at: Date | string;
  updated_by: string | null;
  members: number | null;
  members_as_of: string | null;
  [column: string]: unknown;
}

/** Segments with the member count of the current complete run (`WHERE` and `ORDER BY` follow). */
export const SEGMENT_SELECT = `
  SELECT s.id, s.name, s.description, s.folder, s.tags, s.owner, s.kind, s.definition, s.published,
         s.published_at, s.published_by, s.version, s.created_at, s.created_by, s.updated_at,
         s.updated_by, m.members, CASE WHEN m.members IS NULL THEN NULL ELSE to_char(r.as_of, 'YYYY-MM-DD') END AS members_as_of
    FROM segments s
    LEFT JOIN LATERAL (SELECT id, as_of FROM score_runs WHERE status = 'complete'
                        ORDER BY as_of DESC, id DESC LIMIT 1) r ON true
    LEFT JOIN segment_run_members m ON m.run_id = r.id AND m.segment_id = s.id`;

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function toSegment(row: SegmentRow): Segment {
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    folder: row.folder,
    tags: row.tags,
    owner: row.owner,
    kind: row.kind,
    definition: row.definition,
    published: row.published,
    publishedAt: iso(row.published_at),
    publishedBy: row.published_by,
    version: row.version,
    createdAt: iso(row.created_at)!,
    createdBy: row.created_by,
    updatedAt: iso(row.updated_at)!,
    updatedBy: row.updated_by,
    members: row.members,
    membersAsOf: row.members_as_of,
  };
}

/** Segments with the member counts, filtered by `where` (on `s`), sorted by name. */
export async function selectSegments(db: Db, where: string, params: unknown[] = []): Promise<Segment[]> {
  const rows = await db.query<SegmentRow>(
    `${SEGMENT_SELECT} ${where ? `WHERE ${where}` : ''} ORDER BY lower(s.name), s.id`,
    params,
  );
  return rows.map(toSegment);
}

/** `:id` of the API and `<name|id>` of the CLI: digits are an id, anything else a name (any case). */
export function segmentRefCondition(ref: string | number): { where: string; params: unknown[] } {
  const text = String(ref).trim();
  return /^\d+$/.test(text)
    ? { where: 's.id = $1', params: [text] }
    : { where: 'lower(s.name) = lower($1)', params: [text] };
}

/** The segment `ref` names, or `not_found`. */
export async function findSegment(db: Db, ref: string | number): Promise<Segment> {
  const { where, params } = segmentRefCondition(ref);
  const [segment] = await selectSegments(db, where, params);
  if (!segment) throw new AppError('not_found', `no segment ${describeRef(ref)}`);
  return segment;
}

function describeRef(ref: string | number): string {
  const text = String(ref).trim();
  return /^\d+$/.test(text) ? `with id ${text}` : `named "${text}"`;
}

/**
 * Serialises the changes of segment definitions and names across service instances and the CLI
 * for the rest of the transaction: the reference and cycle checks read the other segments, and
 * two saves checked side by side could together close a cycle.
 */
export async function lockSegments(tx: Db): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['signalfit.segments']);
}

export type ChangeAction = 'created' | 'updated' | 'list_uploaded' | 'published' | 'unpublished' | 'deleted';

/** Appends a history row: who, when (now), what it was and became. */
export async function recordChange(
  tx: Db,
  change: {
    segmentId: number;
    version: number;
    action: ChangeAction;
    by: string;
    oldValue: unknown;
    newValue: unknown;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO segment_changes (segment_id, version, action, changed_by, old_value, new_value)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`,
    [
      change.segmentId,
      change.version,
      change.action,
      change.by,
      change.oldValue === null ? null : JSON.stringify(change.oldValue),
      change.newValue === null ? null : JSON.stringify(change.newValue),
    ],
  );
}

const UNIQUE_VIOLATION = '23505';

/** Turns the unique-name index's refusal (two saves racing for one name) into `conflict`. */
export async function withUniqueName<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw nameTaken(name);
    throw error;
  }
}

export function nameTaken(name: string): AppError {
  return new AppError(
    'conflict',
    `a segment named "${name}" already exists (names are unique whatever their case): choose another name`,
  );
}
