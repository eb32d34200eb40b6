import type { BuyingStage, FitBand, ReachLevel } from '../../domain/vocabulary';
import type { Db } from '../../store/db';
import { accountSegments, type AccountSegment } from '../segments/membership';
import { accountActivity, activityGroupsSql, activityWindow, type ActivityGroupRow } from './accountActivity';
import { accountPeopleSql, personSummary, type PersonRow } from './accountPeople';
import type { ActivityClassSummary } from './activitySummary';
import { personaMap, type PersonaMap } from './personaMap';
import { reasonsOf, type Reason } from './reasons';
import { candidateIds, CURRENT_RUN_SQL } from './recordIds';
import type { ResearchTrend } from './researchTrend';

export interface AccountIntelligenceProps {
  db: Db;
  /** A canonical id, or a Salesforce 15- or 18-character id. */
  id: string;
  /** The personas of the persona map, in priority order. */
  personas: readonly { name: string }[];
  /** The request's time: the trend and summaries end here. */
  now: Date;
}

export interface AccountScores {
  /** The day the scores are as of (YYYY-MM-DD) and the model that computed them. */
  asOf: string;
  modelVersion: string | null;
  profileFit: FitBand | null;
  profileScore: number | null;
  /** Null when the run could not train its intent model (too little history: its summary says why). */
  intentScore: number | null;
  buyingStage: BuyingStage | null;
  reach: ReachLevel;
  qualified: boolean;
  qualifiedSince: string | null;
  reasons: { profile: Reason[]; intent: Reason[]; reach: Reason[] };
}

export interface AccountIntelligence {
  account: {
    id: string;
    name: string | null;
    domain: string | null;
    industry: string | null;
    employees: number | null;
    country: string | null;
  };
  /** Null until a scoring run has scored the account. */
  scores: AccountScores | null;
  researchTrend: ResearchTrend;
  activity: ActivityClassSummary[];
  personaMap: PersonaMap;
  /** The segments the account is a member of in the current run, by name. */
  segments: AccountSegment[];
}

type AccountRow = {
  id: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  country: string | null;
  run_id: string | null;
  as_of: string | null;
  model_version: string | null;
  scored: boolean;
  intent_score: number | null;
  buying_stage: AccountScores['buyingStage'];
  profile_score: number | null;
  profile_fit: AccountScores['profileFit'];
  reach: AccountScores['reach'];
  qualified: boolean;
  qualified_since: string | null;
  reasons: unknown;
  activity_rows: ActivityGroupRow[];
  people_rows: PersonRow[];
};

/**
 * Everything the account view shows, or null when no account has that id, in ONE statement: the
 * account, the current run and its scores, its people with their scores of that same run (so a
 * reader never mixes two runs), and its activity grouped three ways.
 */
export async function accountIntelligence(
  props: AccountIntelligenceProps,
): Promise<AccountIntelligence | null> {
  const { db, id, now } = props;
  const [row] = await db.query<AccountRow>(
    `WITH acct AS (
       SELECT a.id, a.name, a.domain, a.industry, a.employees, a.country,
              r.id AS run_id, r.as_of::text AS as_of, r.model_version,
              s.account_id IS NOT NULL AS scored, s.intent_score, s.buying_stage, s.profile_score,
              s.profile_fit, s.reach, s.qualified, s.qualified_since::text AS qualified_since, s.reasons
         FROM accounts a
         LEFT JOIN LATERAL (${CURRENT_RUN_SQL}) r ON true
         LEFT JOIN account_scores s ON s.run_id = r.id AND s.account_id = a.id
        WHERE a.id = ANY($1::text[])
        ORDER BY a.id = $2 DESC
        LIMIT 1
     )
     SELECT acct.*,
            (SELECT coalesce(json_agg(g), '[]') FROM (${activityGroupsSql('acct')}) g) AS activity_rows,
            (SELECT coalesce(json_agg(p), '[]') FROM (${accountPeopleSql('acct')}) p) AS people_rows
       FROM acct`,
    [candidateIds(id), id, ...activityWindow(now)],
    // The panel's hottest read: planning the statement cost more than running it (RESULTS.md).
    { name: 'account_intelligence' },
  );
  if (!row) return null;

  const activity = accountActivity(row.activity_rows, now);
  const people = row.people_rows.map((person) =>
    personSummary(person, activity.lastActivityByPerson.get(person.id) ?? null),
  );
  return {
    account: {
      id: row.id,
      name: row.name,
      domain: row.domain,
      industry: row.industry,
      employees: row.employees,
      country: row.country,
    },
    scores: row.scored && row.as_of ? scoresOf(row, row.as_of) : null,
    researchTrend: activity.trend,
    activity: activity.summary,
    personaMap: personaMap(props.personas, people),
    segments: await accountSegments(db, row.id),
  };
}

function scoresOf(row: AccountRow, asOf: string): AccountScores {
  return {
    asOf,
    modelVersion: row.model_version,
    profileFit: row.profile_fit,
    profileScore: row.profile_score,
    intentScore: row.intent_score,
    buyingStage: row.buying_stage,
    reach: row.reach,
    qualified: row.qualified,
    qualifiedSince: row.qualified_since,
    reasons: {
      profile: reasonsOf(row.reasons, 'profile'),
      intent: reasonsOf(row.reasons, 'intent'),
      reach: reasonsOf(row.reasons, 'reach'),
    },
  };
}
