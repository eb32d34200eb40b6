import type { EngagementGrade, FitBand } from '../../domain/vocabulary';
import {
  activityClassOf,
  ACTIVITY_TYPES,
  type ActivityClass,
  type ActivityType,
} from '../../domain/canonical';
import type { Db } from '../../store/db';
import { addressOptedOutSql } from '../outbound/optOuts';
import { personName } from './accountPeople';
import { reasonsOf, type Reason } from './reasons';
import { candidateIds, CURRENT_RUN_SQL } from './recordIds';

/** How many of a person's latest activities the person view lists. */
export const RECENT_ACTIVITY_LIMIT = 20;

export interface PersonDetail {
  person: {
    id: string;
    name: string;
    email: string | null;
    title: string | null;
    jobLevel: string | null;
    jobFunction: string | null;
    kind: 'contact' | 'lead';
    /** The person, or any record with the same email address, opted out. */
    optedOut: boolean;
  };
  account: { id: string; name: string | null };
  /** Null until a scoring run has scored the person. */
  scores: {
    asOf: string;
    engagementScore: number;
    engagementGrade: EngagementGrade;
    profileScore: number | null;
    profileFit: FitBand | null;
    persona: string | null;
    reasons: { engagement: Reason[]; profile: Reason[] };
  } | null;
  recentActivity: {
    id: string;
    occurredAt: string;
    type: string;
    class: ActivityClass | null;
    source: string | null;
    keyword: string | null;
    url: string | null;
    campaign: string | null;
  }[];
}

type PersonRow = {
  id: string;
  account_id: string;
  account_name: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  title: string | null;
  job_level: string | null;
  job_function: string | null;
  kind: 'contact' | 'lead';
  opted_out: boolean;
  as_of: string | null;
  scored: boolean;
  engagement_score: number;
  engagement_grade: EngagementGrade;
  profile_score: number | null;
  profile_fit: FitBand | null;
  persona: string | null;
  reasons: unknown;
};

/**
 * A scored person's reasons as one `{"engagement": […], "profile": […]}` object, from the run's
 * reason sets `er` and `pr` (migration 0007), or for runs stored before it, from the person row's
 * own `reasons`. A list a person does not have is null (read as empty).
 */
export const PERSON_REASONS_SQL = `CASE WHEN cs.reasons IS NOT NULL THEN cs.reasons
              ELSE json_build_object('engagement', er.reasons, 'profile', pr.reasons) END`;

/** A contact or lead with its current scores and latest activities, or null when unknown. */
export async function personDetail(props: { db: Db; id: string; now: Date }): Promise<PersonDetail | null> {
  const { db, id, now } = props;
  const [row] = await db.query<PersonRow>(
    `SELECT c.id, c.account_id, a.name AS account_name, c.first_name, c.last_name, c.email, c.title,
            c.job_level, c.job_function, c.kind, (c.opted_out OR ${addressOptedOutSql('c.email')}) AS opted_out,
            r.as_of::text AS as_of, cs.contact_id IS NOT NULL AS scored, cs.engagement_score,
            cs.engagement_grade, cs.profile_score, cs.profile_fit, cs.persona,
            ${PERSON_REASONS_SQL} AS reasons
       FROM contacts c
       JOIN accounts a ON a.id = c.account_id
       LEFT JOIN LATERAL (${CURRENT_RUN_SQL}) r ON true
       LEFT JOIN contact_scores cs ON cs.run_id = r.id AND cs.contact_id = c.id
       LEFT JOIN score_reason_sets er ON er.run_id = cs.run_id AND er.id = cs.engagement_reasons
       LEFT JOIN score_reason_sets pr ON pr.run_id = cs.run_id AND pr.id = cs.profile_reasons
      WHERE c.id = ANY($1::text[])
      ORDER BY c.id = $2 DESC
      LIMIT 1`,
    [candidateIds(id), id],
    { name: 'person_detail' },
  );
  if (!row) return null;
  const activities = await db.query<{
    id: string;
    occurred_at: Date;
    type: string;
    source: string | null;
    keyword: string | null;
    url: string | null;
    campaign: string | null;
  }>(
    `SELECT id, occurred_at, type, source, keyword, url, campaign
       FROM activities
      WHERE account_id = $1 AND contact_id = $2 AND occurred_at < $3
      ORDER BY occurred_at DESC, id
      LIMIT ${RECENT_ACTIVITY_LIMIT}`,
    [row.account_id, row.id, now],
    { name: 'person_recent_activity' },
  );
  return {
    person: {
      id: row.id,
      name: personName(row),
      email: row.email,
      title: row.title,
      jobLevel: row.job_level,
      jobFunction: row.job_function,
      kind: row.kind,
      optedOut: row.opted_out,
    },
    account: { id: row.account_id, name: row.account_name },
    scores:
      row.scored && row.as_of
        ? {
            asOf: row.as_of,
            engagementScore: row.engagement_score,
            engagementGrade: row.engagement_grade,
            profileScore: row.profile_score,
            profileFit: row.profile_fit,
            persona: row.persona,
            reasons: {
              engagement: reasonsOf(row.reasons, 'engagement'),
              profile: reasonsOf(row.reasons, 'profile'),
            },
          }
        : null,
    recentActivity: activities.map((a) => ({
      id: a.id,
      occurredAt: new Date(a.occurred_at).toISOString(),
      type: a.type,
      class: (ACTIVITY_TYPES as readonly string[]).includes(a.type)
        ? activityClassOf(a.type as ActivityType)
        : null,
      source: a.source,
      keyword: a.keyword,
      url: a.url,
      campaign: a.campaign,
    })),
  };
}
