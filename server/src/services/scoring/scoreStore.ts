import type { Reason } from '../../domain/scoring/reasons';
import type { ScoringSummary } from '../../domain/scoring/scoreMarket';
import type { Db } from '../../store/db';
import { copyCsvField } from '../import/csvRows';
import { computeScores, isoDay, previousQualified, qualification } from './scoreRun';

export interface ScoreStoreProps {
  /** Scores as of this day (UTC midnight): facts strictly before it. */
  asOf: Date;
  /** Told when each phase ends (for progress lines). */
  onPhase?: (phase: 'read' | 'model' | 'write', ms: number) => void;
}

export interface ScoreStoreResult {
  runId: number;
  asOf: string;
  accounts: number;
  people: number;
  qualified: number;
  summary: ScoringSummary;
  /** Wall time of the whole run. */
  seconds: number;
}

const COPY_BATCH = 20_000;

/** People who share a job share their profile reasons: each list is serialised once. */
function reasonsJson(
  reasons: { engagement: Reason[]; profile: Reason[] },
  cache: WeakMap<Reason[], string>,
): string {
  let profile = cache.get(reasons.profile);
  if (profile === undefined) {
    profile = JSON.stringify(reasons.profile);
    cache.set(reasons.profile, profile);
  }
  return `{"engagement":${JSON.stringify(reasons.engagement)},"profile":${profile}}`;
}

function csvLine(values: ReadonlyArray<string | number | boolean | null>): string {
  return values.map((value) => copyCsvField(value === null ? null : String(value))).join(',') + '\n';
}

async function copyInBatches<T>(
  db: Db,
  table: string,
  columns: readonly string[],
  items: readonly T[],
  lineOf: (item: T, index: number) => string,
): Promise<void> {
  for (let start = 0; start < items.length; start += COPY_BATCH) {
    let csv = '';
    const end = Math.min(items.length, start + COPY_BATCH);
    for (let i = start; i < end; i++) csv += lineOf(items[i] as T, i);
    await db.copyCsv(table, columns, csv);
  }
}

/**
 * One scoring run: trains, scores every account and person as of the day, and stores the run
 * as a dated snapshot. The run is written in one transaction and marked complete in it, so
 * readers (who take the latest complete run) see the previous run or this one, never a mix; a
 * crash leaves no trace and a rerun starts afresh.
 */
export async function scoreStore(db: Db, props: ScoreStoreProps): Promise<ScoreStoreResult> {
  const started = Date.now();
  const asOf = isoDay(props.asOf);
  const { scores, timings } = await computeScores(db, new Date(`${asOf}T00:00:00Z`));
  props.onPhase?.('read', timings.readMs);
  props.onPhase?.('model', timings.modelMs);
  const writeStarted = Date.now();
  const result = await db.transaction(async (tx) => {
    const qualified = qualification(scores, await previousQualified(tx, asOf), asOf);
    const [run] = await tx.query<{ id: string }>(
      `INSERT INTO score_runs (as_of, status, model_version, summary) VALUES ($1, 'running', $2, $3) RETURNING id`,
      [asOf, scores.summary.modelVersion, JSON.stringify(scores.summary)],
    );
    const runId = Number(run?.id);
    await copyInBatches(
      tx,
      'account_scores',
      [
        'run_id',
        'account_id',
        'intent_score',
        'buying_stage',
        'profile_score',
        'profile_fit',
        'reach',
        'qualified',
        'qualified_since',
        'reasons',
      ],
      scores.accounts,
      (a, i) =>
        csvLine([
          runId,
          a.accountId,
          a.intentScore,
          a.buyingStage,
          a.profileScore,
          a.profileFit,
          a.reach,
          qualified[i]?.qualified ?? false,
          qualified[i]?.qualifiedSince ?? null,
          JSON.stringify(a.reasons),
        ]),
    );
    const profileJson = new WeakMap<Reason[], string>();
    await copyInBatches(
      tx,
      'contact_scores',
      [
        'run_id',
        'contact_id',
        'account_id',
        'engagement_score',
        'engagement_grade',
        'profile_score',
        'profile_fit',
        'persona',
        'reasons',
      ],
      scores.people,
      (p) =>
        csvLine([
          runId,
          p.contactId,
          p.accountId,
          p.engagementScore,
          p.engagementGrade,
          p.profileScore,
          p.profileFit,
          p.persona,
          reasonsJson(p.reasons, profileJson),
        ]),
    );
    const qualifiedCount = qualified.filter((q) => q.qualified).length;
    await tx.run(
      `UPDATE score_runs SET status = 'complete', finished_at = now(), accounts = $2, people = $3 WHERE id = $1`,
      [runId, scores.accounts.length, scores.people.length],
    );
    return { runId, qualifiedCount };
  });
  props.onPhase?.('write', Date.now() - writeStarted);
  return {
    runId: result.runId,
    asOf,
    accounts: scores.accounts.length,
    people: scores.people.length,
    qualified: result.qualifiedCount,
    summary: scores.summary,
    seconds: (Date.now() - started) / 1000,
  };
}
