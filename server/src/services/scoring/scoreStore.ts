import type { Reason } from '../../domain/scoring/reasons';
import type { MarketScores, ScoringSummary } from '../../domain/scoring/scoreMarket';
import type { TrainedModels } from '../../domain/scoring/trainModels';
import { AppError } from '../../errors';
import { actorLabel, SCHEDULER, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { copyCsvField } from '../import/csvRows';
import { versionFigures } from '../models/versionFigures';
import {
  activeVersionIds,
  loadModels,
  recordVersionEvent,
  saveTraining,
  versionLabel,
  type VersionIds,
} from '../models/versionStore';
import { recordAllMemberships } from '../segments/membership';
import { applyModels, defaultModelLabel } from '../../domain/scoring/applyModels';
import { readInParts } from './readInParts';
import {
  trainAsOf,
  isoDay,
  previousQualified,
  qualification,
  type AppliedModels,
  type QualifiedAccount,
} from './scoreRun';
import { loadScoringSettings } from './settings';

/** The columns a run writes to contact_scores, in the order of its COPY rows. */
export const CONTACT_SCORE_COLUMNS = [
  'run_id',
  'contact_id',
  'account_id',
  'engagement_score',
  'engagement_grade',
  'profile_score',
  'profile_fit',
  'persona',
  'engagement_reasons',
  'profile_reasons',
] as const;

export interface ScoreStoreProps {
  /** Scores as of this day (UTC midnight): facts strictly before it. */
  asOf: Date;
  /** Told when each phase ends (for progress lines). */
  onPhase?: (phase: ScorePhase, ms: number) => void;
  /** Stops the run between its phases and before its commit (a lost lease, a shutdown). */
  signal?: AbortSignal;
  /** Runs in the write's transaction just before it commits: the lease's fence (a throw rolls back). */
  beforeCommit?: (tx: Db) => Promise<void>;
  /** Told each phase and how the run ended (metrics, /readyz). */
  observer?: ScoringObserver;
  /** Who asked for the run (audit log); default: the schedule. */
  actor?: Actor;
  /**
   * The model versions to apply (rescoring a day with other versions: an approval, a rollback);
   * default: the active versions, or on a store that has none yet, a training made active.
   */
  versions?: VersionIds;
  /** How many accounts a run scores at a time (accountRanges.ts; tests, benchmarks). */
  accountsPerPart?: number;
  /** The most accounts a run that trains reads to train on (trainingSample.ts; tests, benchmarks). */
  trainingAccounts?: number;
}

export type ScorePhase = 'read' | 'model' | 'write';

/** Watches scoring runs from outside (the service's metrics and its integration states). */
export interface ScoringObserver {
  phase(phase: ScorePhase, ms: number): void;
  finished(): void;
  failed(error: unknown): void;
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

/**
 * The distinct reason lists of a run, numbered from 1 in the order first met (stored once each
 * in score_reason_sets; a person row names its lists by number). An empty list has no number.
 */
export class ReasonSets {
  /** The JSON text of each set; set n is at n − 1. */
  readonly json: string[] = [];
  private readonly byText = new Map<string, number>();
  private readonly byList = new WeakMap<readonly Reason[], number>();

  /** The set holding `list`, found by its content. */
  idOf(list: readonly Reason[]): number | null {
    if (list.length === 0) return null;
    const text = JSON.stringify(list);
    let id = this.byText.get(text);
    if (id === undefined) {
      this.json.push(text);
      id = this.json.length;
      this.byText.set(text, id);
    }
    return id;
  }

  /** The same for a list that many people share (one array per job): serialised once. */
  idOfShared(list: readonly Reason[]): number | null {
    const known = this.byList.get(list);
    if (known !== undefined) return known;
    const id = this.idOf(list);
    if (id !== null) this.byList.set(list, id);
    return id;
  }
}

function csvLine(values: ReadonlyArray<string | number | boolean | null>): string {
  return values.map((value) => copyCsvField(value === null ? null : String(value))).join(',') + '\n';
}

/** A number or null as a CSV field (numbers never need quotes). */
function num(value: number | null): string {
  return value === null ? '' : String(value);
}

/** A text or null as a CSV field. */
function text(value: string | null): string {
  return value === null ? '' : copyCsvField(value);
}

/**
 * The CSV lines of `items` in pieces of COPY_BATCH lines, each built when the COPY asks for it:
 * on PostgreSQL, the next piece is built while the server loads the one before.
 */
function* csvPieces<T>(items: readonly T[], lineOf: (item: T, index: number) => string): Generator<string> {
  for (let start = 0; start < items.length; start += COPY_BATCH) {
    let csv = '';
    const end = Math.min(items.length, start + COPY_BATCH);
    for (let i = start; i < end; i++) csv += lineOf(items[i] as T, i);
    yield csv;
  }
}

async function copyRows<T>(
  db: Db,
  table: string,
  columns: readonly string[],
  items: readonly T[],
  lineOf: (item: T, index: number) => string,
): Promise<void> {
  if (items.length > 0) await db.copyCsv(table, columns, csvPieces(items, lineOf));
}

type StoreOptions = Pick<
  ScoreStoreProps,
  'signal' | 'beforeCommit' | 'actor' | 'versions' | 'accountsPerPart'
> & {
  /** Models trained for this run on a store without versions: saved active in the run's transaction. */
  trained?: TrainedModels;
};

const ACCOUNT_SCORE_COLUMNS = [
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
] as const;

/**
 * The write of one run inside its transaction: begun (the run's row, `running`), given its
 * scores in one piece or part by part (a daily run: accounts with their people), then finished
 * (reason sets, segment memberships, marked complete). Nothing is visible before the commit.
 *
 * What the write costs is kept small (RESULTS.md, "Speed"): a person row is narrow (its reasons
 * are numbers of the run's reason sets), each part of a table is loaded by one streamed COPY
 * whose next piece is built while the server loads the one before, and the score tables have no
 * foreign key to check per row (migration 0008: the run's rows are written only here, in its
 * transaction; triggers delete them with the run).
 */
class RunWrite {
  private readonly sets = new ReasonSets();
  private accounts = 0;
  private people = 0;
  private qualifiedCount = 0;

  private constructor(
    private readonly tx: Db,
    private readonly asOf: string,
    private readonly runId: number,
    private readonly modelVersion: string,
    private readonly previous: Map<string, QualifiedAccount>,
    private readonly options: StoreOptions,
  ) {}

  static async begin(
    tx: Db,
    asOf: string,
    summary: ScoringSummary,
    options: StoreOptions,
  ): Promise<RunWrite> {
    const versions =
      options.versions ??
      (options.trained ? await saveFirstTraining(tx, asOf, options.trained, options.actor) : null);
    const modelVersion = versions === null ? summary.modelVersion : versionLabel(versions);
    const previous = await previousQualified(tx, asOf);
    const [run] = await tx.query<{ id: string }>(
      `INSERT INTO score_runs (as_of, status, model_version, summary, model_versions) VALUES ($1, 'running', $2, $3, $4) RETURNING id`,
      [
        asOf,
        modelVersion,
        JSON.stringify({ ...summary, modelVersion }),
        versions === null ? null : JSON.stringify(versions),
      ],
    );
    return new RunWrite(tx, asOf, Number(run?.id), modelVersion, previous, options);
  }

  /** Writes the rows of some accounts and their people (each account in one part only). */
  async add(scores: MarketScores): Promise<void> {
    const { tx, runId, sets } = this;
    const qualified = qualification(scores, this.previous, this.asOf);
    await copyRows(tx, 'account_scores', ACCOUNT_SCORE_COLUMNS, scores.accounts, (a, i) =>
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
    await copyRows(
      tx,
      'contact_scores',
      CONTACT_SCORE_COLUMNS,
      scores.people,
      (p) =>
        `${runId},${text(p.contactId)},${text(p.accountId)},${p.engagementScore},${p.engagementGrade},` +
        `${num(p.profileScore)},${text(p.profileFit)},${text(p.persona)},` +
        `${num(sets.idOf(p.reasons.engagement))},${num(sets.idOfShared(p.reasons.profile))}\n`,
    );
    this.accounts += scores.accounts.length;
    this.people += scores.people.length;
    this.qualifiedCount += qualified.filter((q) => q.qualified).length;
  }

  async finish(): Promise<{ runId: number; qualifiedCount: number; modelVersion: string }> {
    const { tx, runId, asOf, modelVersion, qualifiedCount, options } = this;
    await copyRows(tx, 'score_reason_sets', ['run_id', 'id', 'reasons'], this.sets.json, (json, i) =>
      csvLine([runId, i + 1, json]),
    );
    // The run's cohorts (docs/segments.md "Membership"): written with the run, so they appear with it.
    await recordAllMemberships(tx, runId);
    options.signal?.throwIfAborted();
    await options.beforeCommit?.(tx);
    await tx.run(
      `UPDATE score_runs SET status = 'complete', finished_at = now(), accounts = $2, people = $3 WHERE id = $1`,
      [runId, this.accounts, this.people],
    );
    await recordAudit(tx, options.actor ?? SCHEDULER, {
      action: 'score.run',
      targetType: 'score_run',
      targetId: String(runId),
      summary: `scored as of ${asOf} (${modelVersion})`,
      counts: { accounts: this.accounts, people: this.people, qualified: qualifiedCount },
    });
    return { runId, qualifiedCount, modelVersion };
  }
}

/**
 * Stores scores as the run of the day `asOf` (YYYY-MM-DD) in one transaction, marked complete in
 * it, and returns the run's id and how many accounts it qualifies.
 */
export async function storeScores(
  db: Db,
  asOf: string,
  scores: MarketScores,
  options: StoreOptions = {},
): Promise<{ runId: number; qualifiedCount: number; modelVersion: string }> {
  return db.transaction(async (tx) => {
    const run = await RunWrite.begin(tx, asOf, scores.summary, options);
    await run.add(scores);
    return run.finish();
  });
}

/**
 * A run that applies model versions, part by part (accountRanges.ts): each part's accounts are
 * read with their opportunities, people and activity, scored, and written while the next part
 * is read, so memory follows two parts and not the market (RESULTS.md, "A million accounts").
 * Every part is read in one snapshot (inSnapshot) and written in one transaction: readers see
 * the previous run or the whole of this one, and a crash leaves no trace. The scores are those
 * of one read of the whole market: applying is per account and per person (applyModels.ts).
 *
 * Two connections on PostgreSQL, the write's and the snapshot's (the window counts are read on
 * the snapshot's too): a run never waits for a third, whatever the pool's size.
 */
async function storeAppliedInParts(
  db: Db,
  asOf: string,
  applied: AppliedModels,
  options: StoreOptions,
  onTime: (phase: 'read' | 'apply' | 'write', ms: number) => void,
): Promise<{
  runId: number;
  qualifiedCount: number;
  modelVersion: string;
  accounts: number;
  people: number;
}> {
  const day = new Date(`${asOf}T00:00:00Z`);
  const settings = await loadScoringSettings(db);
  const summary: ScoringSummary = { modelVersion: applied.label, ...applied.models.summaries };
  return db.transaction(async (write) => {
    const run = await RunWrite.begin(write, asOf, summary, options);
    let accounts = 0;
    let people = 0;
    const timedAdd = async (scores: MarketScores) => {
      const started = Date.now();
      await run.add(scores);
      onTime('write', Date.now() - started);
    };
    // The write of the part before, under way while this part is read (PostgreSQL).
    let writing = null as Promise<void> | null;
    try {
      await readInParts(
        db,
        day,
        settings,
        async (facts) => {
          const started = Date.now();
          const scores = applyModels(facts, settings, applied.models, applied.label);
          onTime('apply', Date.now() - started);
          await writing;
          accounts += scores.accounts.length;
          people += scores.people.length;
          writing = timedAdd(scores);
          // Awaited before the next part; until then its failure must not count as unhandled.
          writing.catch(() => undefined);
          // PGlite: one connection, so nothing to overlap.
          if (db.kind !== 'postgres') await writing;
        },
        {
          within: write,
          accountsPerPart: options.accountsPerPart,
          signal: options.signal,
          onRead: (ms) => onTime('read', ms),
        },
      );
      await writing;
    } finally {
      // A failure while a part is written: the write ends before its transaction rolls back.
      await writing?.catch(() => undefined);
    }
    const started = Date.now();
    const result = await run.finish();
    onTime('write', Date.now() - started);
    return { ...result, accounts, people };
  });
}

/** Whether any active version of a trained kind holds a model (its method is null without one). */
async function anyActiveModel(db: Db): Promise<boolean> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM model_versions WHERE state = 'active' AND kind <> 'engagement' AND method IS NOT NULL`,
  );
  return (row?.n ?? 0) > 0;
}

/**
 * A store's first run (docs/models.md "First run"): the models it trained become the active
 * versions, in the run's transaction, so a crash leaves neither. Another first run that
 * committed meanwhile wins: this one is refused (its scores came from its own training).
 */
async function saveFirstTraining(
  tx: Db,
  asOf: string,
  models: TrainedModels,
  actor: Actor = SCHEDULER,
): Promise<VersionIds> {
  const active = await activeVersionIds(tx);
  if (active !== null) {
    if (await anyActiveModel(tx))
      throw new AppError('conflict', 'another scoring run activated model versions meanwhile: score again');
    // Versions trained without enough history for any model: nothing to compare with and no score
    // anyone relies on, so a training that has models replaces them at once.
    for (const id of Object.values(active)) {
      await tx.run(
        `UPDATE model_versions SET state = 'retired', state_changed_at = now(), state_changed_by = $2 WHERE id = $1`,
        [id, actorLabel(actor)],
      );
      await recordVersionEvent(
        tx,
        id,
        'active',
        'retired',
        'no_model',
        actor,
        'replaced: trained with too little history for any model',
      );
    }
  }
  const { trainingId, versions } = await saveTraining(tx, {
    trainedAsOf: asOf,
    models,
    figures: versionFigures(models.summaries, asOf),
    state: 'active',
    actor,
    requestedBy: 'first_run',
    action: 'first_run',
  });
  await recordAudit(tx, actor, {
    action: 'models.train',
    targetType: 'model_training',
    targetId: String(trainingId),
    summary: `trained the first models as of ${asOf} and made them active (${versionLabel(versions)})`,
    counts: { versions: Object.keys(versions).length },
  });
  return versions;
}

/**
 * One scoring run: applies the active model versions (or `versions`) to score every account and
 * person as of the day, and stores the run as a dated snapshot naming the versions it applied
 * (score_runs.model_versions; its model_version is their label). A store without versions trains
 * on its first run and saves that training as the active versions; a day before the active
 * versions' training day is scored by a training of its own (docs/models.md). The run is
 * written in one transaction and marked complete in it, so readers (who take the latest complete
 * run) see the previous run or this one, never a mix; a crash leaves no trace and a rerun starts
 * afresh.
 */
export async function scoreStore(db: Db, props: ScoreStoreProps): Promise<ScoreStoreResult> {
  const observer = props.observer;
  const onPhase = (phase: ScorePhase, ms: number) => {
    props.onPhase?.(phase, ms);
    observer?.phase(phase, ms);
  };
  try {
    const result = await scoreRun(db, props, onPhase);
    observer?.finished();
    return result;
  } catch (error) {
    observer?.failed(error);
    throw error;
  }
}

/**
 * Which versions a run of day `asOf` applies: those given, else the active ones. A day before the
 * active versions were trained (a past day scored for a report, a backtest) must not see them:
 * they learnt from facts after it. Such a run trains on the facts before its day, as every run
 * did before versions, and names none (model_versions null, the engine's label). A store without
 * versions trains on its first run and keeps that training as the active versions.
 */
async function versionsToApply(
  db: Db,
  asOf: string,
  given: VersionIds | undefined,
): Promise<{ versions: VersionIds | null; firstRun: boolean; empty: VersionIds | null }> {
  if (given !== undefined) return { versions: given, firstRun: false, empty: null };
  const active = await activeVersionIds(db);
  if (active === null) return { versions: null, firstRun: true, empty: null };
  const [latest] = await db.query<{ day: string }>(
    `SELECT to_char(max(trained_as_of), 'YYYY-MM-DD') AS day FROM model_versions WHERE state = 'active'`,
  );
  if (latest !== undefined && latest.day > asOf) return { versions: null, firstRun: false, empty: null };
  // A store scored before it held enough history (say, before its first import) has versions
  // without any model: its runs train until one has models, which then become active.
  if (!(await anyActiveModel(db))) return { versions: null, firstRun: true, empty: active };
  return { versions: active, firstRun: false, empty: null };
}

async function scoreRun(
  db: Db,
  props: ScoreStoreProps,
  onPhase: (phase: ScorePhase, ms: number) => void,
): Promise<ScoreStoreResult> {
  const started = Date.now();
  props.signal?.throwIfAborted();
  const asOf = isoDay(props.asOf);
  const day = new Date(`${asOf}T00:00:00Z`);
  const { versions, firstRun, empty } = await versionsToApply(db, asOf, props.versions);
  const times = { read: 0, apply: 0, write: 0 };
  let applied: AppliedModels;
  let options: StoreOptions;
  if (versions !== null) {
    applied = { models: await loadModels(db, versions), label: versionLabel(versions) };
    options = { ...props, versions };
  } else {
    // Training first, on at most TRAINING_ACCOUNTS accounts (docs/models.md "First run").
    const trainStarted = Date.now();
    const training = await trainAsOf(db, day, await loadScoringSettings(db), props.trainingAccounts);
    times.apply += training.trainMs;
    times.read += Date.now() - trainStarted - training.trainMs;
    const { models } = training;
    applied = { models, label: defaultModelLabel(models, day.getTime()) };
    // A training that still has no model changes nothing: the run names the empty versions it
    // would replace (their scores are the same: none) instead of saving four more.
    const stillEmpty =
      empty !== null && models.intent === null && models.profile === null && models.contact === null;
    options = {
      ...props,
      versions: stillEmpty ? empty : undefined,
      trained: firstRun && !stillEmpty ? models : undefined,
    };
  }
  props.signal?.throwIfAborted();
  const result = await storeAppliedInParts(db, asOf, applied, options, (phase, ms) => {
    times[phase] += ms;
  });
  onPhase('read', times.read);
  onPhase('model', times.apply);
  onPhase('write', times.write);
  return {
    runId: result.runId,
    asOf,
    accounts: result.accounts,
    people: result.people,
    qualified: result.qualifiedCount,
    summary: { modelVersion: result.modelVersion, ...applied.models.summaries },
    seconds: (Date.now() - started) / 1000,
  };
}
