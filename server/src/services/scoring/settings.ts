import { z } from 'zod';
import { JOB_LEVELS } from '../../domain/canonical';
import { DEFAULT_SCORING_SETTINGS, type ScoringSettings } from '../../domain/scoring/settings';
import { AppError } from '../../errors';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';

/**
 * Scoring settings live in the `settings` table, one row per key (`personas`, `fit_bands`,
 * `stage_lift_cuts`, `relevant_rule`, and `models` for the model lifecycle); a missing key means
 * the shipped default. Values are
 * checked here, at the edge: a bad value stops scoring with a clear error rather than being
 * half-applied.
 */
const words = z.array(z.string().trim().min(1)).default([]);
export const personaSchema = z.object({
  name: z.string().trim().min(1),
  jobLevels: z.array(z.enum(JOB_LEVELS)).default([]),
  jobFunctions: words,
  titleIncludes: words,
  titleExcludes: words,
});

const percent = z.number().int().min(0).max(100);
export const SETTING_SCHEMAS = {
  personas: z.array(personaSchema).refine((list) => new Set(list.map((p) => p.name)).size === list.length, {
    message: 'persona names must be unique',
  }),
  fit_bands: z
    .object({ strong: percent, moderate: percent })
    .refine((cuts) => cuts.moderate < cuts.strong, { message: 'moderate must be below strong' }),
  stage_lift_cuts: z
    .tuple([z.number().positive(), z.number().positive(), z.number().positive(), z.number().positive()])
    .refine((cuts) => cuts.every((cut, i) => i === 0 || cut > (cuts[i - 1] as number)), {
      message: 'stage lift cuts must increase',
    }),
  relevant_rule: z.object({ types: z.array(z.string().trim().min(1)).min(1), minimumAmount: z.number() }),
  // The model lifecycle's schedule (docs/models.md): any subset; the rest keeps its default.
  models: z.strictObject({
    retrain_every_days: z.number().int().min(1).max(3_650).optional(),
    notice_days: z.number().int().min(0).max(90).optional(),
    reminder_every_days: z.number().int().min(1).max(90).optional(),
  }),
} as const;

export type SettingKey = keyof typeof SETTING_SCHEMAS;

function parsed<K extends SettingKey>(key: K, value: unknown): z.infer<(typeof SETTING_SCHEMAS)[K]> {
  const result = SETTING_SCHEMAS[key].safeParse(value);
  if (!result.success)
    throw new AppError(
      'config_invalid',
      `setting "${key}" is invalid: ${result.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}; fix or delete it to use the default`,
    );
  return result.data as z.infer<(typeof SETTING_SCHEMAS)[K]>;
}

export async function loadScoringSettings(db: Db): Promise<ScoringSettings> {
  const rows = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM settings');
  const stored = new Map(rows.map((row) => [row.key, row.value]));
  const settings: ScoringSettings = { ...DEFAULT_SCORING_SETTINGS };
  if (stored.has('personas')) settings.personas = parsed('personas', stored.get('personas'));
  if (stored.has('fit_bands')) settings.fitBands = parsed('fit_bands', stored.get('fit_bands'));
  if (stored.has('stage_lift_cuts'))
    settings.stageLiftCuts = parsed('stage_lift_cuts', stored.get('stage_lift_cuts'));
  if (stored.has('relevant_rule'))
    settings.relevantRule = parsed('relevant_rule', stored.get('relevant_rule'));
  return settings;
}

/** The model lifecycle's schedule (docs/models.md "Schedule"), in days. */
export interface ModelSettings {
  retrain_every_days: number;
  notice_days: number;
  reminder_every_days: number;
}

export const DEFAULT_MODEL_SETTINGS: ModelSettings = {
  retrain_every_days: 30,
  notice_days: 14,
  reminder_every_days: 6,
};

export async function loadModelSettings(db: Db): Promise<ModelSettings> {
  const [row] = await db.query<{ value: unknown }>("SELECT value FROM settings WHERE key = 'models'");
  return { ...DEFAULT_MODEL_SETTINGS, ...(row === undefined ? {} : parsed('models', row.value)) };
}

/** Stores one setting after checking it (settings.manage), with its audit entry; returns the stored value. */
export async function saveScoringSetting(
  db: Db,
  key: SettingKey,
  value: unknown,
  actor: Actor,
): Promise<unknown> {
  authorize(actor, 'settings.manage', 'changing scoring settings');
  const checked = parsed(key, value);
  await db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, now())
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, JSON.stringify(checked)],
    );
    await recordAudit(tx, actor, {
      action: 'settings.update',
      targetType: 'setting',
      targetId: key,
      summary: `changed the scoring setting "${key}"`,
      ...(Array.isArray(checked) ? { counts: { items: checked.length } } : {}),
    });
  });
  return checked;
}
