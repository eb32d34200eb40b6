import { AppError } from '../../errors';
import type { Db } from '../../store/db';

export interface SegmentRef {
  id: number;
  name: string;
}

/** A segment by its numeric id or its name (any case); `not_found` naming what was asked for. */
export async function findSegment(db: Db, idOrName: string | number): Promise<SegmentRef> {
  const text = String(idOrName).trim();
  const byId = /^\d{1,15}$/.test(text) ? Number(text) : null;
  const rows = await db.query<{ id: string; name: string }>(
    `SELECT id, name FROM segments WHERE id = $1 OR lower(name) = lower($2)
      ORDER BY (id = $1) IS TRUE DESC LIMIT 1`,
    [byId, text],
  );
  const row = rows[0];
  if (!row)
    throw new AppError(
      'not_found',
      `no segment ${JSON.stringify(text)}: give its id or its name (signalfit segments list)`,
    );
  return { id: Number(row.id), name: row.name };
}
