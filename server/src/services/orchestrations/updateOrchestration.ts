import { isDeepStrictEqual } from 'node:util';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { lockSegments } from '../segments/segmentRecords';
import { recordOrchestrationChange, restrictedRegionsChange } from './orchestrationChanges';
import {
  allowsRestrictedRegions,
  definitionOf,
  lockOrchestration,
  orchestrationNameTaken,
  resolveReferences,
  storedDefinition,
  storedOf,
  withChanges,
  withUniqueOrchestrationName,
  type StoredDefinition,
} from './orchestrationDefinition';
import { parseOrchestrationInput, type OrchestrationPatch } from './orchestrationInput';
import { findOrchestration } from './orchestrationRecords';
import { orchestrationView, type OrchestrationView } from './orchestrationView';

export interface UpdateOrchestrationProps {
  db: Db;
  actor: Actor;
  /** The orchestration's id, or its name (any case). */
  ref: string | number;
  /** Parsed by parseOrchestrationPatch: each field given replaces the stored one whole, null removes it. */
  changes: OrchestrationPatch;
  now: Date;
}

/**
 * Changes an orchestration. The fields given replace the stored ones (a new `filters` replaces
 * every filter; null removes an optional field), the result is checked like a new definition, and a save that changes something
 * bumps the version and writes an `updated` history row with the old and new value of each
 * changed field (a save that changes nothing writes nothing). Turning restricted regions on is
 * for the roles of `orchestrations.restricted_regions`; on or off, it gets its own history row.
 * The owner stays the creator.
 */
export async function updateOrchestration(props: UpdateOrchestrationProps): Promise<OrchestrationView> {
  const { db, actor, changes, now } = props;
  authorize(actor, 'orchestrations.manage', 'changing orchestrations');
  const by = actorLabel(actor);
  const id = await withUniqueOrchestrationName(changes.name ?? '', () =>
    db.transaction(async (tx) => {
      await lockSegments(tx);
      const current = await findOrchestration(tx, props.ref);
      await lockOrchestration(tx, current.id);
      const next = parseOrchestrationInput(
        withChanges(definitionOf(current), changes),
        `orchestration "${current.name}" as changed`,
      );
      const regions = restrictedRegionsChange(
        allowsRestrictedRegions(current),
        allowsRestrictedRegions(next),
      );
      if (regions === 'restricted_regions_enabled') {
        authorize(actor, 'orchestrations.restricted_regions', 'enabling restricted regions');
      }
      const before = storedOf(current);
      const after = storedDefinition(next, await resolveReferences(tx, next));
      const changed = changedFields(before, after);
      if (changed.length === 0) return current.id;
      if (after.name !== before.name) {
        const [taken] = await tx.query(
          'SELECT 1 FROM orchestrations WHERE lower(name) = lower($1) AND id <> $2',
          [after.name, current.id],
        );
        if (taken) throw orchestrationNameTaken(after.name);
      }
      const version = current.version + 1;
      await tx.query(
        `UPDATE orchestrations
            SET name = $2, goal = $3, segment_id = $4, provider_id = $5, target = $6::jsonb, filters = $7::jsonb,
                audience = $8::jsonb, schedule = $9::jsonb, cooldown_days = $10, version = $11,
                updated_at = $12, updated_by = $13
          WHERE id = $1`,
        [
          current.id,
          after.name,
          after.goal,
          after.segment.id,
          after.provider?.id ?? null,
          JSON.stringify(after.target),
          JSON.stringify(after.filters),
          JSON.stringify(after.audience),
          JSON.stringify(after.schedule),
          after.cooldownDays,
          version,
          now.toISOString(),
          by,
        ],
      );
      const pick = (value: StoredDefinition) =>
        Object.fromEntries(changed.map((field) => [field, value[field]]));
      const change = { orchestrationId: current.id, version, by, at: now };
      await recordOrchestrationChange(tx, {
        ...change,
        action: 'updated',
        oldValue: pick(before),
        newValue: pick(after),
      });
      if (regions) {
        await recordOrchestrationChange(tx, {
          ...change,
          action: regions,
          oldValue: { allowRestrictedRegions: regions === 'restricted_regions_disabled' },
          newValue: { allowRestrictedRegions: regions === 'restricted_regions_enabled' },
        });
      }
      await recordAudit(
        tx,
        actor,
        {
          action: 'orchestration.update',
          targetType: 'orchestration',
          targetId: String(current.id),
          summary: `changed ${changed.join(', ')} of orchestration "${after.name}"`,
          counts: { version },
        },
        now,
      );
      return current.id;
    }),
  );
  return orchestrationView(db, await findOrchestration(db, id), now);
}

/** The fields whose values differ (key order, which jsonb does not keep, does not count). */
function changedFields(before: StoredDefinition, after: StoredDefinition): (keyof StoredDefinition)[] {
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value ?? null)) as unknown;
  return (Object.keys(after) as (keyof StoredDefinition)[]).filter(
    (field) => !isDeepStrictEqual(plain(before[field]), plain(after[field])),
  );
}
