import { AppError } from '../../errors';
import { actorLabel, authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { checkDefinition } from './checkDefinition';
import { recordMembers } from './recordMembers';
import type { CreateSegmentInput } from './segmentInput';
import {
  findSegment,
  lockSegments,
  nameTaken,
  recordChange,
  withUniqueName,
  type Segment,
} from './segmentRecords';

export interface CreateSegmentProps {
  db: Db;
  actor: Actor;
  /** The segment file of `segments create --file`, the body of POST /api/segments (zod-checked). */
  input: CreateSegmentInput;
}

/**
 * Saves a new filter or CRM segment (version 1, owned by its creator), writes its `created`
 * history row and records its members in the current run, all in one transaction. A list
 * segment is made by uploading its list (uploadListSegment).
 */
export async function createSegment(props: CreateSegmentProps): Promise<Segment> {
  const { db, actor, input } = props;
  authorize(actor, 'segments.edit', 'creating segments');
  if (input.kind === 'list') {
    throw new AppError(
      'bad_request',
      'a list segment is made by uploading its CSV (POST /api/segments/upload, signalfit segments upload)',
    );
  }
  const by = actorLabel(actor);
  const id = await withUniqueName(input.name, () =>
    db.transaction(async (tx) => {
      await lockSegments(tx);
      const [taken] = await tx.query('SELECT 1 FROM segments WHERE lower(name) = lower($1)', [input.name]);
      if (taken) throw nameTaken(input.name);
      const { kind, definition } = await checkDefinition(tx, {
        name: input.name,
        kind: input.kind,
        definition: input.definition,
      });
      const fields = {
        name: input.name,
        description: input.description ?? null,
        folder: input.folder ?? null,
        tags: input.tags ?? [],
        kind,
        definition,
      };
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO segments (name, description, folder, tags, owner, kind, definition, created_by, updated_by)
         VALUES ($1, $2, $3, $4::text[], $5, $6, $7::jsonb, $5, $5) RETURNING id`,
        [fields.name, fields.description, fields.folder, fields.tags, by, kind, JSON.stringify(definition)],
      );
      const segmentId = Number(row!.id);
      await recordChange(tx, {
        segmentId,
        version: 1,
        action: 'created',
        by,
        oldValue: null,
        newValue: fields,
      });
      await recordMembers(tx, { id: segmentId, name: input.name });
      await recordAudit(tx, actor, {
        action: 'segment.create',
        targetType: 'segment',
        targetId: String(segmentId),
        summary: `created ${kind} segment "${input.name}"`,
      });
      return segmentId;
    }),
  );
  return findSegment(db, id);
}
