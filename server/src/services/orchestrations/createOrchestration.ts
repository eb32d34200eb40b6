import type { OrchestrationDefinition } from '../../domain/orchestrations/types';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { lockSegments } from '../segments/segmentRecords';
import { recordOrchestrationChange } from './orchestrationChanges';
import {
  allowsRestrictedRegions,
  orchestrationNameTaken,
  resolveReferences,
  storedDefinition,
  withUniqueOrchestrationName,
} from './orchestrationDefinition';
import { findOrchestration } from './orchestrationRecords';
import { orchestrationView, type OrchestrationView } from './orchestrationView';

export interface CreateOrchestrationProps {
  db: Db;
  actor: Actor;
  /** o.json (`orchestrations create --file`, POST /api/orchestrations), parsed by parseOrchestrationInput. */
  input: OrchestrationDefinition;
  now: Date;
}

/**
 * Saves a new orchestration (version 1), owned by its creator: an Outreach target enrols as that
 * user. The segment (name or id) and the provider (name) must exist; whether the target's system
 * is connected is a run's concern. Allowing restricted regions is for the roles of
 * `orchestrations.restricted_regions` and is recorded as its own history row.
 */
export async function createOrchestration(props: CreateOrchestrationProps): Promise<OrchestrationView> {
  const { db, actor, input, now } = props;
  authorize(actor, 'orchestrations.manage', 'creating orchestrations');
  const restricted = allowsRestrictedRegions(input);
  if (restricted) authorize(actor, 'orchestrations.restricted_regions', 'enabling restricted regions');
  const by = actorLabel(actor);
  const id = await withUniqueOrchestrationName(input.name, () =>
    db.transaction(async (tx) => {
      // A segment is deleted under this lock once no orchestration uses it.
      await lockSegments(tx);
      const [taken] = await tx.query('SELECT 1 FROM orchestrations WHERE lower(name) = lower($1)', [
        input.name,
      ]);
      if (taken) throw orchestrationNameTaken(input.name);
      const stored = storedDefinition(input, await resolveReferences(tx, input));
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO orchestrations (name, goal, segment_id, provider_id, target, filters, audience, schedule,
                                     cooldown_days, owner, owner_user_id, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8::jsonb, $9, $10, $11, $12, $10, $12, $10)
         RETURNING id`,
        [
          stored.name,
          stored.goal,
          stored.segment.id,
          stored.provider?.id ?? null,
          JSON.stringify(stored.target),
          JSON.stringify(stored.filters),
          JSON.stringify(stored.audience),
          JSON.stringify(stored.schedule),
          stored.cooldownDays,
          by,
          actor.userId,
          now.toISOString(),
        ],
      );
      const change = { orchestrationId: Number(row!.id), version: 1, by, at: now };
      await recordOrchestrationChange(tx, { ...change, action: 'created', oldValue: null, newValue: stored });
      if (restricted) {
        await recordOrchestrationChange(tx, {
          ...change,
          action: 'restricted_regions_enabled',
          oldValue: { allowRestrictedRegions: false },
          newValue: { allowRestrictedRegions: true },
        });
      }
      await recordAudit(
        tx,
        actor,
        {
          action: 'orchestration.create',
          targetType: 'orchestration',
          targetId: String(change.orchestrationId),
          summary: `created orchestration "${stored.name}"`,
        },
        now,
      );
      return change.orchestrationId;
    }),
  );
  return orchestrationView(db, await findOrchestration(db, id), now);
}
