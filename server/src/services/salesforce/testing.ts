import type { Db } from '../../store/db';

/** Score rows for tests (the scoring engine is not needed to test the write-back). */
export interface AccountScoreFixture {
  account_id: string;
  intent_score: number;
  buying_stage: string;
  profile_score: number | null;
  profile_fit: string | null;
  reach: string;
  qualified: boolean;
  qualified_since: string | null;
}

export interface ContactScoreFixture {
  contact_id: string;
  account_id: string;
  engagement_score: number;
  engagement_grade: string;
  profile_fit: string | null;
  persona: string | null;
}

/** Inserts a complete score run with the given rows; returns its id. */
export async function insertScoreRun(
  db: Db,
  asOf: string,
  accounts: AccountScoreFixture[],
  contacts: ContactScoreFixture[],
): Promise<number> {
  const [run] = await db.query<{ id: number }>(
    "INSERT INTO score_runs (as_of, status, finished_at, model_version) VALUES ($1, 'complete', now(), 'test') RETURNING id::int AS id",
    [asOf],
  );
  for (const a of accounts) {
    await db.query(
      `INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, profile_score, profile_fit, reach, qualified, qualified_since)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        run!.id,
        a.account_id,
        a.intent_score,
        a.buying_stage,
        a.profile_score,
        a.profile_fit,
        a.reach,
        a.qualified,
        a.qualified_since,
      ],
    );
  }
  for (const c of contacts) {
    await db.query(
      `INSERT INTO contact_scores (run_id, contact_id, account_id, engagement_score, engagement_grade, profile_fit, persona)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [run!.id, c.contact_id, c.account_id, c.engagement_score, c.engagement_grade, c.profile_fit, c.persona],
    );
  }
  return run!.id;
}
