import type { Db } from '../../store/db';
import { addressOptedOutSql } from '../outbound/optOuts';
import { findRun } from '../scoring/currentRun';
import { SqlParams } from '../segments/compileSql';
import { scopeCondition, segmentScope } from '../segments/scope';
import type { OrchestrationRecord } from './orchestrationRecords';
import type { PushPerson } from './push';
import { pushToTarget } from './pushTarget';
import type { RunContext } from './runContext';
import { insertRecords, type NewRecord } from './runRecords';
import { removeFromCampaign } from './salesforcePush';

/** A contact or lead of the segment that add_to_audience would push. */
export interface AudiencePerson {
  personId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  accountId: string;
  accountName: string | null;
  persona: string | null;
  grade: string | null;
  fit: string | null;
  /** The Salesforce object the person is (synced from Salesforce); null: not a Salesforce record. */
  sobject: 'Lead' | 'Contact' | null;
  optedOut: boolean;
}

interface AudienceDbRow {
  id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  account_id: string;
  account_name: string | null;
  persona: string | null;
  grade: string | null;
  fit: string | null;
  sobject: string | null;
  opted_out: boolean;
  [column: string]: unknown;
}

/** How the segment's members are found in SQL (`a.id` in the scope of the current run). */
async function memberCondition(db: Db, orchestration: OrchestrationRecord, params: SqlParams) {
  const run = await findRun(db);
  const scope = await segmentScope(db, orchestration.segment.id, run);
  const runParam = `${params.add(run?.id ?? null)}::bigint`;
  return { runParam, condition: await scopeCondition(scope, 'a.id', params, runParam) };
}

/**
 * The delta of an add_to_audience orchestration: the contacts and leads at the segment's
 * accounts (current complete run) that pass its audience filters (persona, engagement grade and
 * fit of that run's contact scores; each when given) and that it has not pushed yet (or pushed
 * and removed since), by account then id. Opted-out people are marked, not dropped: the preview
 * leaves them out, a run records them skipped.
 */
export async function audiencePeople(db: Db, orchestration: OrchestrationRecord): Promise<AudiencePerson[]> {
  const params = new SqlParams();
  const { runParam, condition } = await memberCondition(db, orchestration, params);
  const { personas, grades, fits } = orchestration.audience;
  const filters = [
    personas?.length ? `cs.persona = ANY(${params.add(personas)}::text[])` : null,
    grades?.length ? `cs.engagement_grade = ANY(${params.add(grades)}::text[])` : null,
    fits?.length ? `cs.profile_fit = ANY(${params.add(fits)}::text[])` : null,
  ].filter(Boolean);
  const rows = await db.query<AudienceDbRow>(
    `WITH m AS MATERIALIZED (
       SELECT a.id, a.name
         FROM accounts a LEFT JOIN account_scores s ON s.run_id = ${runParam} AND s.account_id = a.id
        WHERE ${condition})
     SELECT c.id, c.email, c.first_name, c.last_name, c.title, c.account_id, m.name AS account_name,
            cs.persona, cs.engagement_grade AS grade, cs.profile_fit AS fit, r.sobject,
            (c.opted_out OR (c.email IS NOT NULL AND ${addressOptedOutSql('c.email')})) AS opted_out
       FROM m JOIN contacts c ON c.account_id = m.id
       LEFT JOIN contact_scores cs ON cs.run_id = ${runParam} AND cs.contact_id = c.id
       LEFT JOIN salesforce_records r ON r.id = c.id AND r.sobject IN ('Lead', 'Contact')
      WHERE NOT EXISTS (SELECT 1 FROM orchestration_audience oa
                         WHERE oa.orchestration_id = ${params.add(orchestration.id)}::bigint
                           AND oa.person_id = c.id AND oa.removed_at IS NULL)
        ${filters.map((f) => `AND ${f}`).join(' ')}
      ORDER BY c.account_id COLLATE "C", c.id COLLATE "C"`,
    params.values,
  );
  return rows.map((row) => ({
    personId: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    title: row.title,
    accountId: row.account_id,
    accountName: row.account_name,
    persona: row.persona,
    grade: row.grade,
    fit: row.fit,
    sobject: row.sobject === 'Lead' || row.sobject === 'Contact' ? row.sobject : null,
    optedOut: row.opted_out,
  }));
}

/** Why an audience person is chosen, in words (the preview's `why`). */
export function audienceWhy(person: AudiencePerson): string {
  const parts = [
    person.persona ? `persona ${person.persona}` : null,
    person.grade ? `engagement ${person.grade}` : null,
    person.fit ? `fit ${person.fit}` : null,
  ].filter(Boolean);
  return `in the segment, not pushed yet${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function personRecord(
  person: AudiencePerson,
  fields: Pick<NewRecord, 'outcome' | 'reason' | 'error' | 'targetId' | 'memberId'>,
): NewRecord {
  return {
    accountId: person.accountId,
    purchaseId: null,
    personId: person.personId,
    providerContactId: null,
    email: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    title: person.title,
    ...fields,
  };
}

const NONE = { reason: null, error: null, targetId: null, memberId: null };

/** The key a store person is pushed under (the target's idempotency and campaign membership). */
const audienceKey = (personId: string) => `person:${personId}`;

/** Pushes audience people and records each; the pushed ones join orchestration_audience. */
export async function pushAudience(ctx: RunContext, people: AudiencePerson[]): Promise<void> {
  const { deps, orchestration, runId } = ctx;
  const salesforce = orchestration.target.type === 'salesforce_campaign';
  const records: NewRecord[] = [];
  const persons: PushPerson[] = [];
  const byKey = new Map<string, AudiencePerson>();
  for (const person of people) {
    if (!person.email) {
      records.push(personRecord(person, { ...NONE, outcome: 'skipped', reason: 'no_email' }));
    } else if (person.optedOut) {
      records.push(personRecord(person, { ...NONE, outcome: 'skipped', reason: 'opted_out' }));
    } else if (salesforce && !person.sobject) {
      records.push(
        personRecord(person, {
          ...NONE,
          outcome: 'failed',
          error: `not in Salesforce: ${person.personId} is not a Lead or Contact synced from the org, so it cannot join a campaign`,
        }),
      );
    } else {
      const key = audienceKey(person.personId);
      byKey.set(key, person);
      persons.push({
        key,
        email: person.email,
        firstName: person.firstName,
        lastName: person.lastName,
        title: person.title,
        accountId: person.accountId,
        accountName: person.accountName,
        accountSalesforceId: null,
        country: null,
        existing: person.sobject ? { sobject: person.sobject, id: person.personId } : null,
        sourceType: 'Orchestration',
      });
    }
  }
  const outcomes = await pushToTarget(ctx, persons);
  const joined: { personId: string; targetId: string | null; memberId: string | null }[] = [];
  for (const [key, person] of byKey) {
    const outcome = outcomes.get(key);
    if (outcome?.ok) {
      records.push(
        personRecord(person, {
          ...NONE,
          outcome: 'pushed',
          targetId: outcome.targetId || null,
          memberId: outcome.memberId,
        }),
      );
      joined.push({
        personId: person.personId,
        targetId: outcome.targetId || null,
        memberId: outcome.memberId,
      });
    } else if (outcome && outcome.reason === 'opted_out') {
      records.push(
        personRecord(person, { ...NONE, outcome: 'skipped', reason: 'opted_out', error: outcome.error }),
      );
    } else {
      records.push(
        personRecord(person, {
          ...NONE,
          outcome: 'failed',
          error: outcome?.error ?? 'the target gave no answer for this person',
        }),
      );
    }
  }
  await insertRecords(deps.db, { id: runId, orchestrationId: orchestration.id }, records, deps.now());
  if (joined.length > 0) {
    await deps.db.run(
      `INSERT INTO orchestration_audience (orchestration_id, person_id, target_id, member_id, pushed_at, removed_at)
       SELECT $1, x.person_id, x.target_id, x.member_id, $3, NULL
         FROM jsonb_to_recordset($2::jsonb) AS x (person_id text, target_id text, member_id text)
       ON CONFLICT (orchestration_id, person_id) DO UPDATE SET target_id = EXCLUDED.target_id,
         member_id = EXCLUDED.member_id, pushed_at = EXCLUDED.pushed_at, removed_at = NULL`,
      [
        orchestration.id,
        JSON.stringify(
          joined.map((j) => ({ person_id: j.personId, target_id: j.targetId, member_id: j.memberId })),
        ),
        deps.now(),
      ],
    );
  }
}

/**
 * removeLeavers (Salesforce campaigns): the people this orchestration pushed whose account is no
 * longer in the segment (or who are gone from the store) leave the campaign; removed_at is set.
 */
async function removeLeavers(ctx: RunContext): Promise<void> {
  const { deps, orchestration } = ctx;
  const { target } = orchestration;
  if (target.type !== 'salesforce_campaign' || !orchestration.audience.removeLeavers) return;
  const params = new SqlParams();
  const { runParam, condition } = await memberCondition(deps.db, orchestration, params);
  const leavers = await deps.db.query<{ person_id: string }>(
    `SELECT oa.person_id FROM orchestration_audience oa LEFT JOIN contacts c ON c.id = oa.person_id
      WHERE oa.orchestration_id = ${params.add(orchestration.id)}::bigint AND oa.removed_at IS NULL
        AND (c.id IS NULL OR c.account_id NOT IN (
              SELECT a.id FROM accounts a LEFT JOIN account_scores s ON s.run_id = ${runParam} AND s.account_id = a.id
               WHERE ${condition}))
      ORDER BY oa.person_id`,
    params.values,
  );
  if (leavers.length === 0 || !deps.salesforce) return;
  const client = await deps.salesforce();
  const answers = await removeFromCampaign({
    db: deps.db,
    client,
    scope: `orchestration:${orchestration.id}:leavers`,
    campaignId: target.campaignId,
    personIds: leavers.map((l) => audienceKey(l.person_id)),
    pollIntervalMs: deps.pollIntervalMs,
    now: deps.now,
    actor: ctx.actor,
  });
  const personOf = new Map(leavers.map((l) => [audienceKey(l.person_id), l.person_id]));
  const removed = answers.filter((a) => a.ok).map((a) => personOf.get(a.personId) ?? a.personId);
  if (removed.length > 0) {
    await deps.db.run(
      'UPDATE orchestration_audience SET removed_at = $3 WHERE orchestration_id = $1 AND person_id = ANY($2::text[])',
      [orchestration.id, removed, deps.now()],
    );
  }
  const failed = answers.filter((a) => !a.ok);
  ctx.note(
    `removed ${removed.length} ${removed.length === 1 ? 'person' : 'people'} who left the segment from the campaign` +
      (failed.length ? `; ${failed.length} could not be removed (${failed[0]!.error ?? 'refused'})` : ''),
  );
}

/** An add_to_audience run: the delta pushed, then (when asked) the leavers removed. */
export async function audienceWork(ctx: RunContext): Promise<void> {
  const people = await audiencePeople(ctx.deps.db, ctx.orchestration);
  await ctx.step('selected');
  await pushAudience(ctx, people);
  await ctx.step('pushed');
  await removeLeavers(ctx);
}
