import {
  decodeModel,
  encodeModel,
  MODEL_KINDS,
  modelsOf,
  paramsOf,
  type ModelKind,
  type ModelParams,
} from '../../domain/scoring/modelCodec';
import { ENGINE_VERSION, type TrainedModels } from '../../domain/scoring/trainModels';
import { AppError } from '../../errors';
import { actorLabel, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';

/**
 * Model versions in the store (migration 0025, docs/models.md): one training makes one version
 * of each kind; a version's state moves between active, candidate, rejected and retired, each
 * move recorded in model_version_events. At most one version of a kind is active.
 */
export const MODEL_STATES = ['active', 'candidate', 'rejected', 'retired'] as const;
export type ModelState = (typeof MODEL_STATES)[number];

/** The version ids a run applied, one per kind. */
export type VersionIds = Record<ModelKind, number>;

export type ModelVersionRow = {
  id: number;
  training_id: number;
  kind: ModelKind;
  engine_version: string;
  trained_as_of: string;
  training: Record<string, unknown>;
  method: string | null;
  backtest: Record<string, unknown> | null;
  auc: number | null;
  identification_rate: number | null;
  state: ModelState;
  state_changed_at: string;
  state_changed_by: string;
  created_at: string;
};

const ROW_COLUMNS = `id::int AS id, training_id::int AS training_id, kind, engine_version,
  to_char(trained_as_of, 'YYYY-MM-DD') AS trained_as_of, training, method, backtest, auc,
  identification_rate, state, to_char(state_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS state_changed_at,
  state_changed_by, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at`;

/** What a version records of its training and its own figures (written by the trainer). */
export interface VersionFigures {
  training: Record<string, unknown>;
  backtest: Record<string, unknown> | null;
  auc: number | null;
  identificationRate: number | null;
}

/**
 * Stores the four versions of one training in `state` (candidate, or active on a store's first
 * run: then the kinds' active versions must not exist yet). Call it in a transaction.
 */
export async function saveTraining(
  db: Db,
  props: {
    trainedAsOf: string;
    models: TrainedModels;
    figures: Record<ModelKind, VersionFigures>;
    state: 'active' | 'candidate';
    actor: Actor;
    /** The training's requester as recorded: 'schedule', 'first_run', or the actor's label. */
    requestedBy: string;
    action: string;
  },
): Promise<{ trainingId: number; versions: VersionIds }> {
  const [training] = await db.query<{ id: string }>(
    `INSERT INTO model_trainings (trained_as_of, requested_by) VALUES ($1, $2) RETURNING id`,
    [props.trainedAsOf, props.requestedBy],
  );
  const trainingId = Number(training?.id);
  const params = paramsOf(props.models);
  const methods: Record<ModelKind, string | null> = {
    intent: props.models.summaries.intent.method,
    profile_fit: props.models.summaries.profile.method,
    contact_fit: props.models.summaries.contact.method,
    engagement: null,
  };
  const versions = {} as VersionIds;
  for (const kind of MODEL_KINDS) {
    const figures = props.figures[kind];
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO model_versions (training_id, kind, engine_version, trained_as_of, training, method, params,
         backtest, auc, identification_rate, state, state_changed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        trainingId,
        kind,
        ENGINE_VERSION,
        props.trainedAsOf,
        JSON.stringify(figures.training),
        methods[kind],
        encodeModel(params[kind]),
        figures.backtest === null ? null : JSON.stringify(figures.backtest),
        figures.auc,
        figures.identificationRate,
        props.state,
        actorLabel(props.actor),
      ],
    );
    versions[kind] = Number(row?.id);
    await recordVersionEvent(db, versions[kind], null, props.state, props.action, props.actor);
  }
  return { trainingId, versions };
}

export async function recordVersionEvent(
  db: Db,
  versionId: number,
  from: ModelState | null,
  to: ModelState,
  action: string,
  actor: Actor,
  note: string | null = null,
): Promise<void> {
  await db.query(
    `INSERT INTO model_version_events (version_id, from_state, to_state, action, actor, note) VALUES ($1, $2, $3, $4, $5, $6)`,
    [versionId, from, to, action, actorLabel(actor), note],
  );
}

/** The active version id of each kind, or null when the store has none yet (never trained). */
export async function activeVersionIds(db: Db): Promise<VersionIds | null> {
  const rows = await db.query<{ id: number; kind: ModelKind }>(
    `SELECT id::int AS id, kind FROM model_versions WHERE state = 'active'`,
  );
  if (rows.length === 0) return null;
  const ids = Object.fromEntries(rows.map((row) => [row.kind, row.id])) as Partial<VersionIds>;
  const missing = MODEL_KINDS.filter((kind) => ids[kind] === undefined);
  if (missing.length > 0)
    throw new AppError(
      'conflict',
      `no active model version of kind ${missing.join(', ')}: approve a candidate or roll back`,
    );
  return ids as VersionIds;
}

/** The models of the given versions, ready to apply (refuses another engine's versions). */
export async function loadModels(db: Db, ids: VersionIds): Promise<TrainedModels> {
  const rows = await db.query<{ id: number; kind: ModelKind; engine_version: string; params: unknown }>(
    `SELECT id::int AS id, kind, engine_version, params::text AS params FROM model_versions WHERE id = ANY($1::bigint[])`,
    [MODEL_KINDS.map((kind) => ids[kind])],
  );
  const params = {} as Record<ModelKind, unknown>;
  for (const kind of MODEL_KINDS) {
    const row = rows.find((r) => r.id === ids[kind] && r.kind === kind);
    if (row === undefined)
      throw new AppError('not_found', `model version ${ids[kind]} (${kind}) does not exist`);
    if (row.engine_version !== ENGINE_VERSION)
      throw new AppError(
        'conflict',
        `model version ${row.id} was trained by engine ${row.engine_version}, this service runs ${ENGINE_VERSION}: train a new version`,
      );
    params[kind] = decodeModel(String(row.params));
  }
  return modelsOf(params as ModelParams);
}

/** The run's `model_version` text: the versions it applied, by kind. */
export function versionLabel(ids: VersionIds): string {
  return MODEL_KINDS.map((kind) => `${kind}:${ids[kind]}`).join(' ');
}

export async function listVersions(db: Db): Promise<ModelVersionRow[]> {
  return db.query<ModelVersionRow>(`SELECT ${ROW_COLUMNS} FROM model_versions ORDER BY id DESC`);
}

export async function versionsOfTraining(db: Db, trainingId: number): Promise<ModelVersionRow[]> {
  return db.query<ModelVersionRow>(
    `SELECT ${ROW_COLUMNS} FROM model_versions WHERE training_id = $1 ORDER BY id`,
    [trainingId],
  );
}

/** The version ids a stored run applied (null for runs stored before versions existed). */
export async function versionsOfRun(db: Db, runId: number): Promise<VersionIds | null> {
  const [row] = await db.query<{ model_versions: VersionIds | string | null }>(
    'SELECT model_versions FROM score_runs WHERE id = $1',
    [runId],
  );
  if (row === undefined) throw new AppError('not_found', `score run ${runId} does not exist`);
  const value = row.model_versions;
  return value === null ? null : typeof value === 'string' ? (JSON.parse(value) as VersionIds) : value;
}
