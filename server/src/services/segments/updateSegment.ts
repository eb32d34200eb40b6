import { AppError } from '../../errors';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { checkDefinition, quotedNames, referrersOf } from './checkDefinition';
import { recordMembers } from './recordMembers';
import type { UpdateSegmentInput } from './segmentInput';
import {
  findSegment,
  lockSegments,
  nameTaken,
  recordChange,
  withUniqueName,
  type Segment,
} from './segmentRecords';

export interface UpdateSegmentProps {
  db: Db;
  actor: Actor;
  /** The segment's id, or its name (any case). */
  ref: string | number;
  /** Only the fields given change (zod-checked: PATCH /api/segments/:id, `segments update --file`). */
  changes: UpdateSegmentInput;
}

type Field = 'name' | 'description' | 'folder' | 'tags' | 'definition';

/**
 * Changes a segment's name, description, folder, tags or definition. A new definition is checked
 * like a new segment's, bumps the version and records the members again (and those of the
 * segments that refer to it). The history row keeps the old and new value of each changed field;
 * a save that changes nothing writes nothing. A segment other segments refer to (by name) keeps
 * its name until they no longer do.
 */
export async function updateSegment(props: UpdateSegmentProps): Promise<Segment> {
  const { db, actor, changes } = props;
  authorize(actor, 'segments.edit', 'changing segments');
  const by = actorLabel(actor);
  const id = await withUniqueName(changes.name ?? '', () =>
    db.transaction(async (tx) => {
      await lockSegments(tx);
      const current = await findSegment(tx, props.ref);
      const next: Record<Field, unknown> = {
        name: changes.name ?? current.name,
        description: changes.description !== undefined ? changes.description : current.description,
        folder: changes.folder !== undefined ? changes.folder : current.folder,
        tags: changes.tags ?? current.tags,
        definition: current.definition,
      };
      let kind = current.kind;
      if (changes.definition !== undefined) {
        const checked = await checkDefinition(tx, {
          name: next.name as string,
          kind: current.kind === 'list' ? 'list' : undefined,
          definition: changes.definition,
          selfId: current.id,
        });
        next.definition = checked.definition;
        kind = checked.kind;
      }
      const changed = (Object.keys(next) as Field[]).filter(
        (field) => JSON.stringify(next[field]) !== JSON.stringify(current[field]),
      );
      if (changed.length === 0) return current.id;

      if (changed.includes('name')) {
        const name = next.name as string;
        const [taken] = await tx.query('SELECT 1 FROM segments WHERE lower(name) = lower($1) AND id <> $2', [
          name,
          current.id,
        ]);
        if (taken) throw nameTaken(name);
        if (name.toLowerCase() !== current.name.toLowerCase()) {
          const referrers = await referrersOf(tx, current);
          if (referrers.length > 0) {
            throw new AppError(
              'conflict',
              `segment "${current.name}" is referred to by ${quotedNames(referrers)}: change their definitions before renaming it`,
            );
          }
        }
      }
      const definitionChanged = changed.includes('definition');
      const version = current.version + (definitionChanged ? 1 : 0);
      await tx.query(
        `UPDATE segments SET name = $2, description = $3, folder = $4, tags = $5::text[], kind = $6,
                definition = $7::jsonb, version = $8, updated_at = now(), updated_by = $9
          WHERE id = $1`,
        [
          current.id,
          next.name,
          next.description,
          next.folder,
          next.tags,
          kind,
          next.definition === null ? null : JSON.stringify(next.definition),
          version,
          by,
        ],
      );
      const pick = (values: Record<string, unknown>) =>
        Object.fromEntries(changed.map((field) => [field, values[field] ?? null]));
      await recordChange(tx, {
        segmentId: current.id,
        version,
        action: 'updated',
        by,
        oldValue: pick(current as unknown as Record<string, unknown>),
        newValue: pick(next),
      });
      if (definitionChanged) await recordMembers(tx, { id: current.id, name: next.name as string });
      await recordAudit(tx, actor, {
        action: 'segment.update',
        targetType: 'segment',
        targetId: String(current.id),
        summary: `changed ${changed.join(', ')} of segment "${next.name as string}"`,
        counts: { version },
      });
      return current.id;
    }),
  );
  return findSegment(db, id);
}
