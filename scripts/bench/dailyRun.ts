/**
 * Daily scoring run benchmark (issue 17, model versions): the run that APPLIES the active model
 * versions instead of training, against the plain scan
 * `SELECT account_id, count(*) FROM activities GROUP BY 1` measured right before each run, on
 *   PostgreSQL: the bench:scoring market, 100,000 accounts, ~10.3 M activities (seed 9001),
 *   PGlite:     20,000 accounts, ~2 M activities (seed 9002).
 *
 * Each store is measured in three processes one after the other (so that each peak RSS is its
 * own):
 *   train      the market built or reused; earlier runs, versions and segments removed; models
 *              trained as of TRAIN_DAY (a month before the market's end), saved as the active
 *              versions (versionStore.ts saveTraining) and that day's scores stored as the
 *              store's previous run;
 *   daily      RUNS daily runs as of BENCH_END: load the active versions, computeScores with them
 *              (reads window 0 only), storeScores; each timed by phase (the write split by table)
 *              and deleted afterwards (then VACUUM, as bench:scoring); then the read's parts, one
 *              after the other on one connection;
 *   candidate  training a candidate as of BENCH_END (computeScores without models: five windows
 *              read, three models fitted, every score computed; nothing stored);
 *   delta      (only when asked) a prototype of the run the plan in RESULTS.md describes, RUNS
 *              times after the scan: the same read but only the people with known engagement in
 *              the window (loadMarketFacts people: 'engaged'), applied, and stored as a run of
 *              every account and those people only (deleted at once: readers must never see it);
 *   churn      (only when asked: BENCH_PHASES=churn) how many stored rows a daily run changes:
 *              the active versions applied as of the day before BENCH_END and as of BENCH_END,
 *              every account and person row compared field by field;
 *   first      (only when asked) the service's first run (scoreStore on a store without
 *              versions): trains as of TRAIN_DAY on at most TRAINING_ACCOUNTS accounts, stores
 *              the day's run of every account in parts, the versions made active;
 *   parts      (only when asked) RUNS daily runs as the service makes them (scoreStore: the
 *              active versions applied in parts of ACCOUNTS_PER_PART accounts), each after its
 *              scan and deleted afterwards.
 *
 * The million-account market (issue 17's scale line: 1,000,000 accounts, ~100 M activities,
 * seed 9003, schema bench_scale_1m; about 10 minutes to generate and 20 to import):
 *   BENCH_MARKET=million BENCH_STORES=postgres BENCH_PHASES=first,parts npm run bench:daily-run
 *
 *   npm run bench:daily-run
 *   BENCH_STORES=postgres|pglite   BENCH_RUNS=3   BENCH_PHASES=train,daily,candidate
 *   BENCH_SEGMENTS=50         record the 50 segments of bench:segments with each run (default 0)
 *   BENCH_DATABASE_URL        default postgres://postgres@127.0.0.1:5432/test
 *   BENCH_SCHEMA              default bench_scoring_100k
 *   BENCH_PGLITE_DIR          default <tmp>/signalfit-bench-scoring-20k
 *   BENCH_FRESH=1             rebuild the markets
 *
 * Prints one JSON line per store and phase on stdout; progress on stderr.
 */
import { spawnSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { applyModels } from '../../server/src/domain/scoring/applyModels';
import type { ModelKind } from '../../server/src/domain/scoring/modelCodec';
import type { MarketScores } from '../../server/src/domain/scoring/scoreMarket';
import { SCHEDULER } from '../../server/src/policies/policies';
import {
  activeVersionIds,
  loadModels,
  saveTraining,
  versionLabel,
  type VersionFigures,
} from '../../server/src/services/models/versionStore';
import { loadMarketFacts } from '../../server/src/services/scoring/loadFacts';
import { computeScores, readFacts, type AppliedModels } from '../../server/src/services/scoring/scoreRun';
import { loadScoringSettings } from '../../server/src/services/scoring/settings';
import { scoreStore, storeScores } from '../../server/src/services/scoring/scoreStore';
import type { Db } from '../../server/src/store/db';
import {
  BENCH_END,
  fiftySegments,
  median,
  pgliteMarket,
  postgresMarket,
  SCALE_MARKET,
  SCORING_MARKETS,
} from './benchStores';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SEGMENTS = Number(process.env.BENCH_SEGMENTS ?? 0);
const STORES = (process.env.BENCH_STORES ?? 'postgres,pglite').split(',');
const PHASES = (process.env.BENCH_PHASES ?? 'train,daily,candidate').split(',');
/** The active versions' training day: a month before the runs, as with monthly retraining. */
const TRAIN_DAY = new Date(BENCH_END.getTime() - 28 * 86_400_000);
const SCAN = 'SELECT account_id, count(*) FROM activities GROUP BY 1';
const log = (line: string) => process.stderr.write(`${line}\n`);
const day = (date: Date) => date.toISOString().slice(0, 10);
const secondsSince = (started: number) => (Date.now() - started) / 1000;
const load = () => Number(loadavg()[0]?.toFixed(2));
/** Peak resident set size of this process so far, in MB. */
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** BENCH_MARKET=million: the 1,000,000-account market (PostgreSQL only). */
const MILLION = process.env.BENCH_MARKET === 'million';

async function openStore(store: string): Promise<Db> {
  if (store === 'postgres' && MILLION)
    return postgresMarket(process.env.BENCH_SCHEMA ?? 'bench_scale_1m', SCALE_MARKET, log);
  if (store === 'postgres')
    return postgresMarket(process.env.BENCH_SCHEMA ?? 'bench_scoring_100k', SCORING_MARKETS.postgres, log);
  const folder = process.env.BENCH_PGLITE_DIR ?? path.join(tmpdir(), 'signalfit-bench-scoring-20k');
  return pgliteMarket(folder, SCORING_MARKETS.pglite, log);
}

async function scan(db: Db): Promise<number> {
  const started = Date.now();
  await db.query(SCAN);
  return secondsSince(started);
}

/** Deletes a measured run and vacuums, as bench:scoring does (a real store never deletes runs). */
async function dropRun(db: Db, runId: number): Promise<void> {
  await db.run('DELETE FROM score_runs WHERE id = $1', [runId]);
  await db.exec('VACUUM account_scores, contact_scores, score_reason_sets, score_runs, segment_run_members');
}

/**
 * `db` with the time spent in each statement added up by what it touches: COPY by table, other
 * statements by the first table they name ("sql <table>"). Only the caller's own awaits are
 * timed, so a COPY includes the time Node spends building its rows.
 */
function timedDb(db: Db, spent: Map<string, number>): Db {
  const add = (key: string, started: number) => spent.set(key, (spent.get(key) ?? 0) + Date.now() - started);
  const keyOf = (sql: string) =>
    `sql ${/\b(?:INSERT INTO|UPDATE|DELETE FROM|FROM)\s+([a-z_]+)/i.exec(sql)?.[1] ?? 'other'}`;
  async function timed<T>(key: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      add(key, started);
    }
  }
  const wrap = (inner: Db): Db => ({
    kind: inner.kind,
    query: (sql, params, options) => timed(keyOf(sql), () => inner.query(sql, params, options)),
    run: (sql, params) => timed(keyOf(sql), () => inner.run(sql, params)),
    exec: (sql) => timed(keyOf(sql), () => inner.exec(sql)),
    transaction: (work) => inner.transaction((tx) => work(wrap(tx))),
    copyCsv: (table, columns, csv) => timed(`copy ${table}`, () => inner.copyCsv(table, columns, csv)),
    copyOut: (select, format) => inner.copyOut(select, format),
    close: () => inner.close(),
  });
  return wrap(db);
}

function noFigures(): Record<ModelKind, VersionFigures> {
  const none: VersionFigures = {
    training: { bench: true },
    backtest: null,
    auc: null,
    identificationRate: null,
  };
  return { intent: none, profile_fit: none, contact_fit: none, engagement: none };
}

async function reset(db: Db): Promise<void> {
  await db.exec(`DELETE FROM score_runs; DELETE FROM model_version_events; DELETE FROM model_versions;
    DELETE FROM model_trainings; TRUNCATE segments CASCADE`);
  await db.exec('VACUUM ANALYZE');
}

/** The store's segments: the first SEGMENTS of bench:segments' 50 (recorded with each run). */
async function setSegments(db: Db): Promise<void> {
  await db.exec('TRUNCATE segments CASCADE');
  for (const s of fiftySegments().slice(0, SEGMENTS))
    await db.run('INSERT INTO segments (name, kind, definition) VALUES ($1, $2, $3::jsonb)', [
      s.name,
      s.kind,
      JSON.stringify(s.definition),
    ]);
}

/** Trains as of TRAIN_DAY, saves the versions as active and stores that day's run. */
async function train(db: Db): Promise<Record<string, unknown>> {
  await reset(db);
  const scanSeconds = await scan(db);
  const started = Date.now();
  const { scores, models, timings } = await computeScores(db, TRAIN_DAY);
  const saveStarted = Date.now();
  const { versions } = await db.transaction((tx) =>
    saveTraining(tx, {
      trainedAsOf: day(TRAIN_DAY),
      models,
      figures: noFigures(),
      state: 'active',
      actor: SCHEDULER,
      requestedBy: 'first_run',
      action: 'first_run',
    }),
  );
  const saveSeconds = secondsSince(saveStarted);
  const writeStarted = Date.now();
  await storeScores(db, day(TRAIN_DAY), {
    ...scores,
    summary: { ...scores.summary, modelVersion: versionLabel(versions) },
  });
  const writeSeconds = secondsSince(writeStarted);
  const total = secondsSince(started);
  const [params] = await db.query<{ bytes: number }>(
    'SELECT sum(octet_length(params::text))::int AS bytes FROM model_versions',
  );
  log(
    `  train as of ${day(TRAIN_DAY)}: ${total.toFixed(1)} s (read ${(timings.readMs / 1000).toFixed(1)}, train ` +
      `${(timings.trainMs / 1000).toFixed(1)}, apply ${(timings.applyMs / 1000).toFixed(1)}, save versions ` +
      `${saveSeconds.toFixed(2)}, write ${writeSeconds.toFixed(1)} s; scan ${scanSeconds.toFixed(2)} s; load ${load()})`,
  );
  return {
    trainedAsOf: day(TRAIN_DAY),
    versions,
    versionParamsBytes: params?.bytes,
    scanSeconds,
    totalSeconds: total,
    readSeconds: timings.readMs / 1000,
    trainSeconds: timings.trainMs / 1000,
    applySeconds: timings.applyMs / 1000,
    saveVersionsSeconds: saveSeconds,
    writeSeconds,
    accounts: scores.accounts.length,
    people: scores.people.length,
    peakRssMb: peakRssMb(),
    loadAverage: load(),
  };
}

interface Measured {
  runs: Array<Record<string, number>>;
  writeParts: Array<Record<string, number>>;
  people: number;
}

/**
 * RUNS runs as of BENCH_END with the active versions, each after its scan: load the versions,
 * `compute` (read and apply), storeScores (timed by table); each run deleted afterwards.
 */
async function measureRuns(
  db: Db,
  name: string,
  compute: (
    applied: AppliedModels,
  ) => Promise<{ scores: MarketScores; readSeconds: number; applySeconds: number }>,
): Promise<Measured> {
  await setSegments(db);
  const measured: Measured = { runs: [], writeParts: [], people: 0 };
  for (let run = 0; run < RUNS; run++) {
    const scanSeconds = await scan(db);
    const started = Date.now();
    const ids = await activeVersionIds(db);
    if (ids === null) throw new Error('no active versions: run the train phase first');
    const models = await loadModels(db, ids);
    const versionsSeconds = secondsSince(started);
    const { scores, readSeconds, applySeconds } = await compute({ models, label: versionLabel(ids) });
    const writeStarted = Date.now();
    const spent = new Map<string, number>();
    const { runId } = await storeScores(timedDb(db, spent), day(BENCH_END), scores);
    const writeSeconds = secondsSince(writeStarted);
    const total = secondsSince(started);
    measured.people = scores.people.length;
    measured.runs.push({
      scanSeconds,
      totalSeconds: total,
      ratio: total / scanSeconds,
      versionsSeconds,
      readSeconds,
      applySeconds,
      writeSeconds,
      loadAverage: load(),
    });
    measured.writeParts.push(Object.fromEntries([...spent].map(([key, ms]) => [key, ms / 1000])));
    log(
      `  ${name} ${run + 1} (${scores.people.length} people): scan ${scanSeconds.toFixed(2)} s, run ${total.toFixed(1)} s = ` +
        `${(total / scanSeconds).toFixed(1)}× (versions ${versionsSeconds.toFixed(2)} / read ${readSeconds.toFixed(1)} / ` +
        `apply ${applySeconds.toFixed(1)} / write ${writeSeconds.toFixed(1)} s; load ${load()})`,
    );
    log(`    write: ${[...spent].map(([key, ms]) => `${key} ${(ms / 1000).toFixed(2)}`).join(', ')}`);
    await dropRun(db, runId);
  }
  return measured;
}

/** The daily runs (see the header), then the read's parts one after the other on one connection. */
async function daily(db: Db): Promise<Record<string, unknown>> {
  const measured = await measureRuns(db, 'daily run', async (applied) => {
    const { scores, timings } = await computeScores(db, BENCH_END, undefined, applied);
    return { scores, readSeconds: timings.readMs / 1000, applySeconds: timings.applyMs / 1000 };
  });
  const peak = peakRssMb();
  // On PostgreSQL the run reads the counts on a second connection meanwhile.
  const settings = await loadScoringSettings(db);
  const readParts: Record<string, number> = {};
  const partsStarted = Date.now();
  await db.transaction((tx) =>
    loadMarketFacts(tx, BENCH_END, settings, {
      windows: 1,
      onStep: (step, ms) => (readParts[step] = ms / 1000),
    }),
  );
  const readOneConnection = secondsSince(partsStarted);
  log(
    `  the read on one connection: ${readOneConnection.toFixed(1)} s (` +
      `${Object.entries(readParts)
        .map(([step, s]) => `${step} ${s.toFixed(2)}`)
        .join(', ')})`,
  );
  return summary(measured, {
    readOnOneConnection: { totalSeconds: readOneConnection, ...readParts },
    peakRssMb: peak,
  });
}

/** The prototype delta run (see the header): every account, only the engaged people. */
async function delta(db: Db): Promise<Record<string, unknown>> {
  const measured = await measureRuns(db, 'delta run', async (applied) => {
    const settings = await loadScoringSettings(db);
    const started = Date.now();
    const facts = await readFacts(db, BENCH_END, settings, { windows: 1, people: 'engaged' });
    const readSeconds = secondsSince(started);
    const applyStarted = Date.now();
    const scores = applyModels(facts, settings, applied.models, applied.label);
    return { scores, readSeconds, applySeconds: secondsSince(applyStarted) };
  });
  return summary(measured, { peakRssMb: peakRssMb() });
}

function summary(
  { runs, writeParts, people }: Measured,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const medianOf = (key: string) => median(runs.map((r) => r[key] as number));
  const parts = new Set(writeParts.flatMap((p) => Object.keys(p)));
  return {
    runs: runs.length,
    scanSeconds: medianOf('scanSeconds'),
    totalSeconds: medianOf('totalSeconds'),
    ratioToScan: medianOf('ratio'),
    phasesSeconds: {
      versions: medianOf('versionsSeconds'),
      read: medianOf('readSeconds'),
      apply: medianOf('applySeconds'),
      write: medianOf('writeSeconds'),
    },
    writePartsSeconds: Object.fromEntries(
      [...parts].map((key) => [key, median(writeParts.map((p) => p[key] ?? 0))]),
    ),
    people,
    segments: SEGMENTS,
    ...extra,
    all: runs,
  };
}

/**
 * The service's own runs (scoreStore), as `signalfit score` makes them: `first` on a store
 * without versions (earlier runs and versions removed) trains as of TRAIN_DAY on at most
 * TRAINING_ACCOUNTS accounts and stores the day's run in parts, the versions made active;
 * `parts` makes RUNS daily runs as of BENCH_END with the active versions, in parts of
 * ACCOUNTS_PER_PART accounts, each after its scan and deleted afterwards.
 */
async function serviceRun(db: Db, asOf: Date): Promise<{ runId: number; result: Record<string, number> }> {
  const phases: Record<string, number> = {};
  const started = Date.now();
  const run = await scoreStore(db, {
    asOf,
    onPhase: (phase, ms) => (phases[phase] = ms / 1000),
  });
  const totalSeconds = secondsSince(started);
  return {
    runId: run.runId,
    result: {
      totalSeconds,
      readSeconds: phases.read ?? 0,
      modelSeconds: phases.model ?? 0,
      writeSeconds: phases.write ?? 0,
      accounts: run.accounts,
      people: run.people,
      qualified: run.qualified,
    },
  };
}

async function first(db: Db): Promise<Record<string, unknown>> {
  await reset(db);
  const scanSeconds = await scan(db);
  const { result } = await serviceRun(db, TRAIN_DAY);
  log(
    `  first run as of ${day(TRAIN_DAY)} (trains, stores in parts): ${result.totalSeconds?.toFixed(1)} s ` +
      `(read ${result.readSeconds?.toFixed(1)} / train and apply ${result.modelSeconds?.toFixed(1)} / write ` +
      `${result.writeSeconds?.toFixed(1)} s; scan ${scanSeconds.toFixed(2)} s; peak RSS ${peakRssMb()} MB; load ${load()})`,
  );
  const [intent] = await db.query<{ examples: number }>(
    `SELECT (training->>'examples')::int AS examples FROM model_versions WHERE kind = 'profile_fit' AND state = 'active'`,
  );
  return {
    scanSeconds,
    ...result,
    profileFitExamples: intent?.examples,
    peakRssMb: peakRssMb(),
    loadAverage: load(),
  };
}

async function parts(db: Db): Promise<Record<string, unknown>> {
  await setSegments(db);
  const runs: Array<Record<string, number>> = [];
  for (let i = 0; i < RUNS; i++) {
    const scanSeconds = await scan(db);
    const { runId, result } = await serviceRun(db, BENCH_END);
    const ratio = (result.totalSeconds as number) / scanSeconds;
    runs.push({ scanSeconds, ratio, ...result, loadAverage: load() });
    log(
      `  daily run ${i + 1} in parts (${result.accounts} accounts, ${result.people} people): scan ${scanSeconds.toFixed(2)} s, ` +
        `run ${result.totalSeconds?.toFixed(1)} s = ${ratio.toFixed(1)}× (read ${result.readSeconds?.toFixed(1)} / apply ` +
        `${result.modelSeconds?.toFixed(1)} / write ${result.writeSeconds?.toFixed(1)} s; peak RSS ${peakRssMb()} MB; load ${load()})`,
    );
    await dropRun(db, runId);
  }
  const medianOf = (key: string) => median(runs.map((r) => r[key] as number));
  return {
    runs: runs.length,
    scanSeconds: medianOf('scanSeconds'),
    totalSeconds: medianOf('totalSeconds'),
    ratioToScan: medianOf('ratio'),
    phasesSeconds: {
      read: medianOf('readSeconds'),
      apply: medianOf('modelSeconds'),
      write: medianOf('writeSeconds'),
    },
    segments: SEGMENTS,
    peakRssMb: peakRssMb(),
    all: runs,
  };
}

/** Training a candidate as of BENCH_END: read all five windows, fit, score (nothing stored). */
async function candidate(db: Db): Promise<Record<string, unknown>> {
  const scanSeconds = await scan(db);
  const started = Date.now();
  const { timings } = await computeScores(db, BENCH_END);
  const total = secondsSince(started);
  log(
    `  candidate: ${total.toFixed(1)} s = ${(total / scanSeconds).toFixed(1)}× scan ${scanSeconds.toFixed(2)} s ` +
      `(read ${(timings.readMs / 1000).toFixed(1)} / train ${(timings.trainMs / 1000).toFixed(1)} / apply ` +
      `${(timings.applyMs / 1000).toFixed(1)} s; load ${load()})`,
  );
  return {
    scanSeconds,
    totalSeconds: total,
    ratioToScan: total / scanSeconds,
    readSeconds: timings.readMs / 1000,
    trainSeconds: timings.trainMs / 1000,
    applySeconds: timings.applyMs / 1000,
    peakRssMb: peakRssMb(),
    loadAverage: load(),
  };
}

/** The fields of an account row as stored (account_scores; qualified follows from fit and stage). */
function accountRow(a: MarketScores['accounts'][number]): string {
  return JSON.stringify([a.intentScore, a.buyingStage, a.profileScore, a.profileFit, a.reach, a.reasons]);
}

function personRow(p: MarketScores['people'][number]): string {
  return JSON.stringify([
    p.engagementScore,
    p.engagementGrade,
    p.profileScore,
    p.profileFit,
    p.persona,
    p.reasons,
  ]);
}

/** How many rows differ between two consecutive days scored with the same versions. */
async function churn(db: Db): Promise<Record<string, unknown>> {
  const ids = await activeVersionIds(db);
  if (ids === null) throw new Error('no active versions: run the train phase first');
  const applied = { models: await loadModels(db, ids), label: versionLabel(ids) };
  const before = (await computeScores(db, new Date(BENCH_END.getTime() - 86_400_000), undefined, applied))
    .scores;
  const after = (await computeScores(db, BENCH_END, undefined, applied)).scores;
  const changed = <T>(a: T[], b: T[], id: (row: T) => string, row: (row: T) => string) => {
    const previous = new Map(a.map((x) => [id(x), row(x)]));
    return b.filter((x) => previous.get(id(x)) !== row(x)).length;
  };
  const accountId = (a: MarketScores['accounts'][number]) => a.accountId;
  const accounts = changed(before.accounts, after.accounts, accountId, accountRow);
  const accountsNoReasons = changed(before.accounts, after.accounts, accountId, (a) =>
    JSON.stringify([a.intentScore, a.buyingStage, a.profileScore, a.profileFit, a.reach]),
  );
  const people = changed(before.people, after.people, (p) => p.contactId, personRow);
  const engaged = (scores: MarketScores) =>
    new Set(scores.people.filter((p) => p.reasons.engagement.length > 0).map((p) => p.contactId));
  const engagedEither = new Set([...engaged(before), ...engaged(after)]).size;
  const result = {
    accounts: after.accounts.length,
    accountRowsChanged: accounts,
    accountRowsChangedBesidesReasons: accountsNoReasons,
    people: after.people.length,
    personRowsChanged: people,
    peopleEngagedEitherDay: engagedEither,
  };
  log(
    `  churn from ${day(new Date(BENCH_END.getTime() - 86_400_000))} to ${day(BENCH_END)}: ${JSON.stringify(result)}`,
  );
  return result;
}

async function child(store: string, phase: string): Promise<void> {
  const db = await openStore(store);
  try {
    const [activities] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM activities');
    const [accounts] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
    const phases = { train, daily, candidate, delta, churn, first, parts };
    const work = phases[phase as keyof typeof phases];
    if (work === undefined) throw new Error(`unknown phase ${phase}`);
    const result = await work(db);
    console.log(
      JSON.stringify({
        store,
        phase,
        accounts: accounts?.n,
        activities: activities?.n,
        ...result,
        loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2))),
      }),
    );
  } finally {
    await db.close();
  }
}

function main(): void {
  for (const store of STORES) {
    log(
      store === 'postgres'
        ? `PostgreSQL, ${MILLION ? '1,000,000' : '100,000'} accounts:`
        : 'PGlite, 20,000 accounts:',
    );
    for (const phase of PHASES) {
      const runner = path.join(__dirname, '..', '..', 'bin', 'tsx.js');
      const result = spawnSync(process.execPath, [runner, __filename, '--child', store, phase], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: process.env,
      });
      if (result.status !== 0) process.exit(result.status ?? 1);
    }
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3] as string, process.argv[4] as string).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main();
}
