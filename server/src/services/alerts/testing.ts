import type { Db } from '../../store/db';

/** Test helpers: a small scored market written with SQL (segments and their recorded membership included). */
export const TEST_SECRET_KEY = 'an-alerts-test-secret-key-of-32-characters';

export interface TestScore {
  accountId: string;
  stage: 'Target' | 'Awareness' | 'Consideration' | 'Decision' | 'Purchase' | null;
  fit: 'Strong' | 'Moderate' | 'Weak' | null;
  intent: number | null;
  reasons?: object;
}

export async function insertAccounts(db: Db, accounts: { id: string; name: string | null }[]): Promise<void> {
  for (const a of accounts) {
    await db.run('INSERT INTO accounts (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
      a.id,
      a.name,
    ]);
  }
}

/** A complete run of `asOf` with these scores (qualified: fit Moderate or Strong in Decision or Purchase). */
export async function insertRun(db: Db, asOf: string, scores: readonly TestScore[]): Promise<number> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO score_runs (as_of, status, model_version, finished_at, accounts)
     VALUES ($1, 'complete', 'alerts-test', now(), $2) RETURNING id`,
    [asOf, scores.length],
  );
  const runId = Number(row!.id);
  for (const s of scores) {
    const qualified =
      (s.fit === 'Strong' || s.fit === 'Moderate') && (s.stage === 'Decision' || s.stage === 'Purchase');
    await db.run(
      `INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, profile_score, profile_fit, reach, qualified, qualified_since, reasons)
       VALUES ($1, $2, $3, $4, 50, $5, 'Low', $6, $7, $8)`,
      [
        runId,
        s.accountId,
        s.intent,
        s.stage,
        s.fit,
        qualified,
        qualified ? asOf : null,
        JSON.stringify(s.reasons ?? {}),
      ],
    );
  }
  return runId;
}

export async function insertSegment(db: Db, name: string): Promise<number> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO segments (name, kind, definition) VALUES ($1, 'filter', '{"all": []}') RETURNING id`,
    [name],
  );
  return Number(row!.id);
}

/** What the engine records inside a score run: the segment's members in that run. */
export async function recordMembers(
  db: Db,
  runId: number,
  segmentId: number,
  accountIds: string[],
): Promise<void> {
  const sorted = [...accountIds].sort();
  await db.run(
    `INSERT INTO segment_run_members (run_id, segment_id, version, definition, members, account_ids)
     VALUES ($1, $2, 1, '{"all": []}', $3, $4::text[])
     ON CONFLICT (run_id, segment_id) DO UPDATE SET members = EXCLUDED.members, account_ids = EXCLUDED.account_ids`,
    [runId, segmentId, sorted.length, sorted],
  );
}

/** The stored alerts, in key order. */
export async function deliveries(db: Db): Promise<
  {
    subscription_id: string;
    account_id: string;
    event: string;
    run_day: string;
    state: string;
    error: string | null;
  }[]
> {
  return db.query(
    `SELECT subscription_id, account_id, event, to_char(run_day, 'YYYY-MM-DD') AS run_day, state, error
       FROM alert_deliveries ORDER BY subscription_id, run_day, account_id`,
  );
}
