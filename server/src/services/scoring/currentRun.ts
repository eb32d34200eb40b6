import type { Db } from '../../store/db';

export interface RunRef {
  id: number;
  asOf: string;
  modelVersion: string;
}

/**
 * The run readers use: the complete run with the latest as_of (then the latest id), or, with
 * `asOf`, the latest complete run of that day. Null when there is none.
 */
export async function findRun(db: Db, asOf?: string): Promise<RunRef | null> {
  const rows = await db.query<{ id: string; as_of: string; model_version: string }>(
    `SELECT id, to_char(as_of, 'YYYY-MM-DD') AS as_of, model_version FROM score_runs
      WHERE status = 'complete' AND ($1::date IS NULL OR as_of = $1::date)
      ORDER BY as_of DESC, id DESC LIMIT 1`,
    [asOf ?? null],
  );
  const row = rows[0];
  return row ? { id: Number(row.id), asOf: row.as_of, modelVersion: row.model_version } : null;
}
