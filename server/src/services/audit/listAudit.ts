import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';

/** One entry as the app, the API and `signalfit audit --json` show it. */
export interface AuditView {
  id: number;
  /** ISO 8601 instant (UTC). */
  at: string;
  /** How the actor is named: an email, an API key's name, `command line`, `schedule`. */
  actor: string;
  actorKind: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  summary: string;
  counts: Record<string, number>;
}

export interface AuditFilters {
  /** Entries at or after this instant. */
  since?: Date;
  /** Entries before this instant. */
  until?: Date;
  /** Entries whose actor is this (an email, a key's name; any case). */
  actor?: string;
  /** Entries of this action (`segment.publish`), or of every action of a thing (`segment`). */
  action?: string;
  targetType?: string;
}

export interface ListAuditProps extends AuditFilters {
  /** Entries per page (1–1000, default 100). */
  limit?: number;
  /** An entry id: the page of entries older than it (the `next` of the page before). */
  before?: number;
}

export interface AuditPage {
  entries: AuditView[];
  /** The `before` of the next page; null on the last one. */
  next: number | null;
}

export const DEFAULT_AUDIT_PAGE = 100;
export const MAX_AUDIT_PAGE = 1000;

interface AuditRow {
  id: string;
  at: Date | string;
  actor: string;
  actor_kind: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  summary: string;
  counts: Record<string, number> | string;
  [column: string]: unknown;
}

/**
 * The audit log, newest first (audit.view: Admins), filtered, a page at a time: pages are cut by
 * id (keyset), so an entry written while a reader pages is never shown twice or skipped.
 */
export async function listAudit(db: Db, actor: Actor, props: ListAuditProps = {}): Promise<AuditPage> {
  authorize(actor, 'audit.view', 'reading the audit log');
  const limit = Math.min(Math.max(Math.trunc(props.limit ?? DEFAULT_AUDIT_PAGE), 1), MAX_AUDIT_PAGE);
  const { where, params } = auditConditions(props);
  if (props.before !== undefined) {
    params.push(props.before);
    where.push(`id < $${params.length}`);
  }
  params.push(limit + 1);
  const rows = await db.query<AuditRow>(
    `SELECT id, at, actor, actor_kind, action, target_type, target_id, summary, counts
       FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  const entries = rows.slice(0, limit).map(toView);
  return { entries, next: rows.length > limit ? entries[entries.length - 1]!.id : null };
}

/** Every entry the filters select, newest first, a page at a time (the CSV export and the CLI). */
export async function* allAudit(db: Db, actor: Actor, filters: AuditFilters): AsyncGenerator<AuditView[]> {
  let before: number | undefined;
  do {
    const page = await listAudit(db, actor, { ...filters, before, limit: MAX_AUDIT_PAGE });
    if (page.entries.length > 0) yield page.entries;
    before = page.next ?? undefined;
  } while (before !== undefined);
}

function auditConditions(filters: AuditFilters): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (param: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (filters.since) add((p) => `at >= ${p}`, filters.since);
  if (filters.until) add((p) => `at < ${p}`, filters.until);
  if (filters.actor) add((p) => `lower(actor) = lower(${p})`, filters.actor);
  if (filters.action) {
    // `segment` selects every segment.* action; `segment.publish` that one.
    if (filters.action.includes('.')) add((p) => `action = ${p}`, filters.action);
    else add((p) => `action LIKE ${p}`, `${filters.action.replace(/[\\%_]/g, '\\$&')}.%`);
  }
  if (filters.targetType) add((p) => `target_type = ${p}`, filters.targetType);
  return { where, params };
}

function toView(row: AuditRow): AuditView {
  return {
    id: Number(row.id),
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    actorKind: row.actor_kind,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    summary: row.summary,
    counts: typeof row.counts === 'string' ? (JSON.parse(row.counts) as Record<string, number>) : row.counts,
  };
}
