import { BUYING_STAGES, FIT_BANDS, REACH_LEVELS } from '../../domain/vocabulary';
import type { Db } from '../../store/db';

/**
 * A small scored market for the accounts list tests: 23 accounts with varied columns (ties and
 * nulls included), a current run scoring 22 of them, an older run and a later running run whose
 * scores must never show, and one account imported after the run (unscored).
 */
export interface ListFixtureAccount {
  id: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  scores: {
    profileFit: string | null;
    profileScore: number | null;
    intentScore: number | null;
    buyingStage: string | null;
    reach: string;
    qualified: boolean;
    qualifiedSince: string | null;
  } | null;
}

const INDUSTRIES = ['Software', 'Manufacturing', 'Healthcare', null];
const NAMES = [
  'Acme Cloud',
  'Globex',
  'Initech',
  'Umbrella Health',
  'Stark Industries',
  'Wayne Enterprises',
  'Hooli',
  'Pied Piper',
  'Vandelay Imports',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
  'Wonka Foods',
  'Oceanic Air',
  'Monarch Solutions',
  'Aperture Science',
  'Black Mesa',
  'Gringotts',
  'acme labs',
  'Duff',
  'Nakatomi',
  '100% Pure_Data',
];

export function listFixture(): ListFixtureAccount[] {
  const accounts: ListFixtureAccount[] = NAMES.map((name, i) => {
    const fitIndex = i % 3;
    const stage = BUYING_STAGES[(i * 2) % 5]!;
    const fit = FIT_BANDS[fitIndex]!;
    const qualified = fit !== 'Weak' && (stage === 'Decision' || stage === 'Purchase');
    return {
      id: `acct-${String(i + 1).padStart(3, '0')}`,
      name: i === 5 ? null : name,
      domain: i === 7 ? null : `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
      industry: INDUSTRIES[i % 4]!,
      employees: i === 3 ? null : [50, 1200, 300, 1200, 8000][i % 5]!,
      scores: {
        profileFit: i === 9 ? null : fit,
        profileScore: i === 9 ? null : [90, 65, 20][fitIndex]! - (i % 4),
        intentScore: i === 11 ? null : (i * 37) % 100,
        buyingStage: i === 11 ? null : stage,
        reach: REACH_LEVELS[i % 3]!,
        qualified,
        qualifiedSince: qualified ? `2026-11-${String(1 + (i % 9)).padStart(2, '0')}` : null,
      },
    };
  });
  accounts.push({
    id: 'acct-999',
    name: 'Zeta Newco',
    domain: 'zeta.example',
    industry: 'Software',
    employees: 10,
    scores: null,
  });
  return accounts;
}

export async function seedListFixture(db: Db): Promise<ListFixtureAccount[]> {
  const accounts = listFixture();
  for (const a of accounts) {
    await db.query(
      'INSERT INTO accounts (id, name, domain, industry, employees) VALUES ($1, $2, $3, $4, $5)',
      [a.id, a.name, a.domain, a.industry, a.employees],
    );
  }
  const run = async (asOf: string, status: string) => {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO score_runs (as_of, status, model_version, finished_at, accounts)
       VALUES ($1, $2, 'list-test-1', now(), 22) RETURNING id`,
      [asOf, status],
    );
    return Number(row!.id);
  };
  const older = await run('2026-11-01', 'complete');
  const current = await run('2026-11-19', 'complete');
  const running = await run('2026-11-20', 'running');
  for (const a of accounts) {
    if (!a.scores) continue;
    const s = a.scores;
    for (const runId of [older, current, running]) {
      // Other runs carry other scores: only the current run's may show.
      const intent = runId === current ? s.intentScore : 100 - (s.intentScore ?? 0);
      await db.query(
        `INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, profile_score, profile_fit, reach, qualified, qualified_since)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          runId,
          a.id,
          intent,
          s.buyingStage,
          s.profileScore,
          s.profileFit,
          s.reach,
          runId === current ? s.qualified : !s.qualified,
          runId === current ? s.qualifiedSince : '2026-10-01',
        ],
      );
    }
  }
  return accounts;
}
