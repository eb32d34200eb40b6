import { AppError } from '../../errors';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { optOutDomain, optOutEmail, type OptOutKind, type OptOutValue } from './optOutValue';

/** An entry of the central opt-out list (docs/opt-outs.md). */
export interface OptOutEntry {
  kind: OptOutKind;
  value: string;
  /** Where it came from: `manual` (added one by one), `import` (a CSV), or the source column of an imported file. */
  source: string;
  reason: string | null;
  /** ISO 8601. */
  createdAt: string;
  createdBy: string;
}

type EntryRow = {
  kind: OptOutKind;
  value: string;
  source: string;
  reason: string | null;
  created_at: Date | string;
  created_by: string;
};

export const ENTRY_COLUMNS = 'kind, value, source, reason, created_at, created_by';

export function entryOf(row: EntryRow): OptOutEntry {
  return {
    kind: row.kind,
    value: row.value,
    source: row.source,
    reason: row.reason,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
  };
}

/** The longest reason kept (a longer one is cut). */
export const MAX_REASON_CHARS = 500;

export function reasonText(reason: string | null | undefined): string | null {
  const text = (reason ?? '').trim();
  return text === '' ? null : text.slice(0, MAX_REASON_CHARS);
}

export interface ListOptOutsProps {
  db: Db;
  actor: Actor;
  /** Part of the value, any case (`acme` finds `jo@acme.com` and `acme.com`). */
  q?: string;
  kind?: OptOutKind;
  limit?: number;
  offset?: number;
}

/** The list, newest first (ties by kind and value), one page; `total` counts every match. */
export async function listOptOuts(
  props: ListOptOutsProps,
): Promise<{ entries: OptOutEntry[]; total: number }> {
  authorize(props.actor, 'optouts.manage', 'viewing the opt-out list');
  const q = (props.q ?? '').trim().toLowerCase();
  const where = `($1 = '' OR strpos(value, $1) > 0) AND ($2::text IS NULL OR kind = $2)`;
  const params = [q, props.kind ?? null];
  const [count] = await props.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM opt_outs WHERE ${where}`,
    params,
  );
  const rows = await props.db.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM opt_outs WHERE ${where}
      ORDER BY created_at DESC, kind, value COLLATE "C" LIMIT $3 OFFSET $4`,
    [...params, props.limit ?? 100, props.offset ?? 0],
  );
  return { entries: rows.map(entryOf), total: Number(count!.n) };
}

/** `{ email }` or `{ domain }`, as the routes and the command line give it. */
export type OptOutTarget = { email: string } | { domain: string };

/** The entry `target` names, normalized; validation_failed saying why it cannot be one. */
export function targetValue(target: OptOutTarget): OptOutValue {
  const parsed = 'email' in target ? optOutEmail(target.email) : optOutDomain(target.domain);
  if ('reason' in parsed) {
    const written = 'email' in target ? target.email : target.domain;
    throw new AppError('validation_failed', `${parsed.reason}: ${JSON.stringify(written.slice(0, 200))}`);
  }
  return parsed;
}

/**
 * Adds one address or domain (source `manual`). Adding one the list holds changes nothing and
 * answers `added: false` with the entry as it is. The entry and its audit entry (`optout.add`)
 * are written in one transaction.
 */
export async function addOptOut(props: {
  db: Db;
  actor: Actor;
  target: OptOutTarget;
  reason?: string | null;
  now?: Date;
}): Promise<{ entry: OptOutEntry; added: boolean }> {
  authorize(props.actor, 'optouts.manage', 'changing the opt-out list');
  const { kind, value } = targetValue(props.target);
  const now = props.now ?? new Date();
  return props.db.transaction(async (tx) => {
    const inserted = await tx.query<EntryRow>(
      `INSERT INTO opt_outs (kind, value, source, reason, created_at, created_by)
       VALUES ($1, $2, 'manual', $3, $4, $5) ON CONFLICT (kind, value) DO NOTHING RETURNING ${ENTRY_COLUMNS}`,
      [kind, value, reasonText(props.reason), now, actorLabel(props.actor)],
    );
    if (inserted[0]) {
      await recordAudit(
        tx,
        props.actor,
        {
          action: 'optout.add',
          targetType: kind,
          targetId: value,
          summary: `added ${kind} ${value} to the opt-out list`,
          counts: { added: 1 },
        },
        now,
      );
      return { entry: entryOf(inserted[0]), added: true };
    }
    const [existing] = await tx.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM opt_outs WHERE kind = $1 AND value = $2`,
      [kind, value],
    );
    return { entry: entryOf(existing!), added: false };
  });
}

/**
 * Removes one address or domain from the list; not_found when the list does not hold it. The
 * people's own opt-out flag is not touched: a person who opted out stays opted out.
 */
export async function removeOptOut(props: {
  db: Db;
  actor: Actor;
  target: OptOutTarget;
  now?: Date;
}): Promise<OptOutEntry> {
  authorize(props.actor, 'optouts.manage', 'changing the opt-out list');
  const { kind, value } = targetValue(props.target);
  const now = props.now ?? new Date();
  return props.db.transaction(async (tx) => {
    const [deleted] = await tx.query<EntryRow>(
      `DELETE FROM opt_outs WHERE kind = $1 AND value = $2 RETURNING ${ENTRY_COLUMNS}`,
      [kind, value],
    );
    if (!deleted) throw new AppError('not_found', `the opt-out list holds no ${kind} ${value}`);
    await recordAudit(
      tx,
      props.actor,
      {
        action: 'optout.delete',
        targetType: kind,
        targetId: value,
        summary: `removed ${kind} ${value} from the opt-out list`,
        counts: { deleted: 1 },
      },
      now,
    );
    return entryOf(deleted);
  });
}
