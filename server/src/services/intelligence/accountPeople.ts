import type { EngagementGrade, FitBand } from '../../domain/vocabulary';
import { addressOptedOutSql } from '../outbound/optOuts';

/** A person as the persona map lists them. */
export interface PersonSummary {
  id: string;
  name: string;
  title: string | null;
  kind: 'contact' | 'lead';
  /** The person, or any record with the same email address, opted out. */
  optedOut: boolean;
  persona: string | null;
  engagementGrade: EngagementGrade | null;
  engagementScore: number | null;
  profileFit: FitBand | null;
  lastActivityAt: string | null;
}

export type PersonRow = {
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
};

/**
 * Everyone at the account with their scores of the account's run. `accountSql` names a one-row
 * relation with the account's `id` and `run_id`.
 */
export function accountPeopleSql(accountSql: string): string {
  return `SELECT c.id, c.first_name, c.last_name, c.email, c.title, c.kind,
            (c.opted_out OR ${addressOptedOutSql('c.email')}) AS opted_out,
            cs.persona, cs.engagement_grade, cs.engagement_score, cs.profile_fit
       FROM ${accountSql} acc
       JOIN contacts c ON c.account_id = acc.id
       LEFT JOIN contact_scores cs ON cs.run_id = acc.run_id AND cs.contact_id = c.id`;
}

export function personSummary(row: PersonRow, lastActivityAt: string | null): PersonSummary {
  return {
    id: row.id,
    name: personName(row),
    title: row.title,
    kind: row.kind,
    optedOut: row.opted_out,
    persona: row.persona,
    engagementGrade: row.engagement_grade,
    engagementScore: row.engagement_score,
    profileFit: row.profile_fit,
    lastActivityAt,
  };
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
