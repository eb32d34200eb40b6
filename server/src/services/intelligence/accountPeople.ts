import type { Db } from '../../store/db';

/** A person's last activity is looked up this many days back. */
export const LAST_ACTIVITY_DAYS = 365;

export interface PersonSummary {
  id: string;
  name: string;
  title: string | null;
  kind: 'contact' | 'lead';
  optedOut: boolean;
  persona: string | null;
  engagementGrade: 'A' | 'B' | 'C' | 'D' | null;
  engagementScore: number | null;
  profileFit: 'Strong' | 'Moderate' | 'Weak' | null;
  lastActivityAt: string | null;
}

type PersonRow = {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  title: string | null;
  kind: 'contact' | 'lead';
  opted_out: boolean;
  persona: string | null;
  engagement_grade: PersonSummary['engagementGrade'];
  engagement_score: number | null;
  profile_fit: PersonSummary['profileFit'];
  last_activity_at: Date | null;
};

/** Everyone at the account with their scores of run `runId` (none when null) and last activity. */
export async function accountPeople(
  db: Db,
  accountId: string,
  runId: string | null,
  now: Date,
): Promise<PersonSummary[]> {
  const since = new Date(now.getTime() - LAST_ACTIVITY_DAYS * 86_400_000);
  const rows = await db.query<PersonRow>(
    `SELECT c.id, c.first_name, c.last_name, c.email, c.title, c.kind, c.opted_out,
            cs.persona, cs.engagement_grade, cs.engagement_score, cs.profile_fit, la.last_activity_at
       FROM contacts c
       LEFT JOIN contact_scores cs ON cs.run_id = $2 AND cs.contact_id = c.id
       LEFT JOIN (SELECT contact_id, max(occurred_at) AS last_activity_at
                    FROM activities
                   WHERE account_id = $1 AND contact_id IS NOT NULL AND occurred_at >= $3 AND occurred_at < $4
                   GROUP BY contact_id) la ON la.contact_id = c.id
      WHERE c.account_id = $1`,
    [accountId, runId, since, now],
  );
  return rows.map((row) => ({
    id: row.id,
    name: personName(row),
    title: row.title,
    kind: row.kind,
    optedOut: row.opted_out,
    persona: row.persona,
    engagementGrade: row.engagement_grade,
    engagementScore: row.engagement_score,
    profileFit: row.profile_fit,
    lastActivityAt: row.last_activity_at ? new Date(row.last_activity_at).toISOString() : null,
  }));
}

/** "First Last", else the e-mail, else the id: every person needs a label. */
export function personName(row: {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}): string {
  const name = [row.first_name, row.last_name].filter(Boolean).join(' ').trim();
  return name || row.email || row.id;
}
