/**
 * What the write-back sets on each object: the Signalfit package's fields
 * (force-app/main/default/objects/{Account,Contact,Lead}/fields) from the current score run. The values
 * are built in SQL as one JSON object per record, so "changed since the last successful
 * write-back" is one comparison with what Salesforce last accepted.
 *
 * `Signalfit_Scored_At__c` is sent with every changed row but left out of the comparison: a
 * new run that changes nothing must send nothing.
 *
 * `Signalfit_Segments__c` is held in the values as the set of names of the published segments
 * the account is a member of in the current run (recorded in segment_run_members), a JSON array
 * in a fixed order, and the key is left out when there are none: the values written before the
 * field was added then compare equal for every account outside published segments, so the
 * upgrade resends only the members. The text Salesforce gets (sorted, joined, cut at the
 * field's length) is made from the names when the CSV is built (domain/segments/publishedNames).
 */
export type WritebackSObject = 'Account' | 'Contact' | 'Lead';
export const WRITEBACK_ORDER: readonly WritebackSObject[] = ['Account', 'Contact', 'Lead'];
export const SCORED_AT_FIELD = 'Signalfit_Scored_At__c';
export const SEGMENTS_FIELD = 'Signalfit_Segments__c';
/** The field's length in force-app (LongTextArea). */
export const SEGMENTS_FIELD_LENGTH = 32_768;

const CURRENT_RUN = `
  SELECT id, as_of FROM score_runs WHERE status = 'complete' ORDER BY as_of DESC, id DESC LIMIT 1`;

/** Per account, the names of the published segments it is in (recorded for the current run). */
const PUBLISHED_NAMES = `
  SELECT m.account_id, jsonb_agg(g.name ORDER BY g.name COLLATE "C") AS names
  FROM segment_run_members srm
  JOIN run ON srm.run_id = run.id
  JOIN segments g ON g.id = srm.segment_id AND g.published
  CROSS JOIN LATERAL unnest(srm.account_ids) AS m (account_id)
  GROUP BY m.account_id`;

const ACCOUNT_VALUES = `
  SELECT s.account_id AS id, run.as_of, jsonb_build_object(
    'Signalfit_Profile_Fit__c', s.profile_fit,
    'Signalfit_Profile_Score__c', s.profile_score,
    'Signalfit_Intent_Score__c', s.intent_score,
    'Signalfit_Buying_Stage__c', s.buying_stage,
    'Signalfit_Reach__c', s.reach,
    'Signalfit_Qualified__c', s.qualified,
    'Signalfit_Qualified_Since__c', s.qualified_since)
    || CASE WHEN p.names IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('${SEGMENTS_FIELD}', p.names) END
    AS field_values
  FROM account_scores s JOIN run ON s.run_id = run.id
  JOIN salesforce_records r ON r.id = s.account_id AND r.sobject = 'Account'
  LEFT JOIN (${PUBLISHED_NAMES}) p ON p.account_id = s.account_id`;

const personValues = (sobject: 'Contact' | 'Lead') => `
  SELECT s.contact_id AS id, run.as_of, jsonb_build_object(
    'Signalfit_Engagement_Grade__c', s.engagement_grade,
    'Signalfit_Engagement_Score__c', s.engagement_score,
    'Signalfit_Profile_Fit__c', s.profile_fit,
    'Signalfit_Persona__c', s.persona) AS field_values
  FROM contact_scores s JOIN run ON s.run_id = run.id
  JOIN salesforce_records r ON r.id = s.contact_id AND r.sobject = '${sobject}' AND NOT r.converted`;

const VALUES: Record<WritebackSObject, string> = {
  Account: ACCOUNT_VALUES,
  Contact: personValues('Contact'),
  Lead: personValues('Lead'),
};

export const FIELDS: Record<WritebackSObject, string[]> = {
  Account: [
    'Signalfit_Profile_Fit__c',
    'Signalfit_Profile_Score__c',
    'Signalfit_Intent_Score__c',
    'Signalfit_Buying_Stage__c',
    'Signalfit_Reach__c',
    'Signalfit_Qualified__c',
    'Signalfit_Qualified_Since__c',
    SEGMENTS_FIELD,
  ],
  Contact: [
    'Signalfit_Engagement_Grade__c',
    'Signalfit_Engagement_Score__c',
    'Signalfit_Profile_Fit__c',
    'Signalfit_Persona__c',
  ],
  Lead: [
    'Signalfit_Engagement_Grade__c',
    'Signalfit_Engagement_Score__c',
    'Signalfit_Profile_Fit__c',
    'Signalfit_Persona__c',
  ],
};

/** The last id of the next `$3` records of object `$1` after id `$2` (null: none left). */
export const RECORD_WINDOW_SQL = `
  SELECT max(id) AS through FROM (
    SELECT id FROM salesforce_records WHERE sobject = $1 AND id > $2 ORDER BY id LIMIT $3
  ) w`;

/**
 * The rows with ids in ($4, $5] whose values differ from what Salesforce last accepted, by id,
 * at most $2, leaving out the rows that failed since $3 (in this run: they wait for the next one).
 */
export function changedRowsSql(sobject: WritebackSObject): string {
  return `
    WITH run AS (${CURRENT_RUN}), desired AS (${VALUES[sobject]})
    SELECT d.id, d.field_values, d.as_of::text AS as_of FROM desired d
    LEFT JOIN salesforce_written_values w ON w.sobject = $1 AND w.id = d.id
    WHERE d.id > $4 AND d.id <= $5 AND w.field_values IS DISTINCT FROM d.field_values
      AND NOT EXISTS (SELECT 1 FROM salesforce_writeback_failures f
                      WHERE f.sobject = $1 AND f.id = d.id AND f.failed_at >= $3)
    ORDER BY d.id LIMIT $2`;
}
