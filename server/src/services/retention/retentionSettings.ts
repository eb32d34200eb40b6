import { z } from 'zod';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';

/**
 * How long each class of data is kept (docs/retention.md), in `settings` under the key
 * `retention`. A null class is kept for ever: that is the default of every class.
 */
export const RETENTION_CLASSES = ['activitiesDays', 'outboundDays', 'scoreRuns', 'auditDays'] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];
export type RetentionSettings = Record<RetentionClass, number | null>;

export const KEEP_EVERYTHING: RetentionSettings = {
  activitiesDays: null,
  outboundDays: null,
  scoreRuns: null,
  auditDays: null,
};

const days = z.number().int().min(1).max(36_500).nullable();
/** What is stored (and what PUT /api/retention takes: any subset, null clears a class). */
export const retentionChanges = z.strictObject({
  activitiesDays: days.optional(),
  outboundDays: days.optional(),
  scoreRuns: z.number().int().min(1).max(100_000).nullable().optional(),
  auditDays: days.optional(),
});
export type RetentionChanges = z.infer<typeof retentionChanges>;

const SETTING_KEY = 'retention';

export async function getRetention(db: Db): Promise<RetentionSettings> {
  const [row] = await db.query<{ value: unknown }>('SELECT value FROM settings WHERE key = $1', [
    SETTING_KEY,
  ]);
  const stored = row ? retentionChanges.safeParse(row.value) : null;
  return { ...KEEP_EVERYTHING, ...(stored?.success ? stored.data : {}) };
}

/** Changes the classes given (an Admin's), records `retention.update`; returns the settings now. */
export async function setRetention(props: {
  db: Db;
  actor: Actor;
  changes: RetentionChanges;
  now?: Date;
}): Promise<RetentionSettings> {
  authorize(props.actor, 'retention.manage', 'changing retention');
  return props.db.transaction(async (tx) => {
    const next = { ...(await getRetention(tx)), ...props.changes };
    await tx.run(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, now())
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [SETTING_KEY, JSON.stringify(next)],
    );
    await recordAudit(
      tx,
      props.actor,
      {
        action: 'retention.update',
        targetType: 'settings',
        targetId: SETTING_KEY,
        summary: `set retention: ${describeRetention(next)}`,
      },
      props.now,
    );
    return next;
  });
}

/** One line: `activities 365 days, outbound logs kept, score runs latest 30, audit 730 days`. */
export function describeRetention(settings: RetentionSettings): string {
  const daysOf = (n: number | null) => (n === null ? 'kept' : `${n} days`);
  return [
    `activities ${daysOf(settings.activitiesDays)}`,
    `outbound logs ${daysOf(settings.outboundDays)}`,
    `score runs ${settings.scoreRuns === null ? 'kept' : `latest ${settings.scoreRuns}`}`,
    `audit ${daysOf(settings.auditDays)}`,
  ].join(', ');
}
