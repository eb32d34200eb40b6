import type { OrchestrationDefinition } from '../../domain/orchestrations/types';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import { findProvider } from '../providers/providers';
import { findSegment } from '../segments/segmentRecords';
import type { OrchestrationPatch } from './orchestrationInput';
import type { OrchestrationRecord } from './orchestrationRecords';

/**
 * The segment and provider a definition names, as stored ids. An unknown one is the definition's
 * fault (`invalid_orchestration` naming the field), not a missing page.
 */
export async function resolveReferences(
  db: Db,
  definition: OrchestrationDefinition,
): Promise<Pick<OrchestrationRecord, 'segment' | 'provider'>> {
  const found = await findSegment(db, definition.segment).catch((error: unknown) => {
    throw notFoundAs(error, 'segment', 'see signalfit segments list');
  });
  const segment = { id: found.id, name: found.name };
  if (definition.provider === undefined) return { segment, provider: null };
  const provider = await findProvider(db, definition.provider).catch((error: unknown) => {
    throw notFoundAs(error, 'provider');
  });
  return { segment, provider: { id: provider.id, name: provider.name } };
}

function notFoundAs(error: unknown, path: string, hint?: string): unknown {
  if (!(error instanceof AppError) || error.code !== 'not_found') return error;
  return new AppError('invalid_orchestration', `${path}: ${error.message}${hint ? `: ${hint}` : ''}`, {
    path,
  });
}

/** A stored orchestration as a definition (o.json), segment by id and provider by name; empty parts left out. */
export function definitionOf(record: OrchestrationRecord): OrchestrationDefinition {
  const given = (value: object) => Object.keys(value).length > 0;
  return {
    name: record.name,
    goal: record.goal,
    segment: record.segment.id,
    ...(record.provider ? { provider: record.provider.name } : {}),
    target: record.target,
    ...(given(record.filters) ? { filters: record.filters } : {}),
    ...(given(record.audience) ? { audience: record.audience } : {}),
    schedule: record.schedule,
    cooldownDays: record.cooldownDays,
  };
}

/**
 * A stored definition with PATCH's changes applied: a field given replaces the stored one whole,
 * null removes an optional one. The result still needs parseOrchestrationInput's checks.
 */
export function withChanges(definition: OrchestrationDefinition, changes: OrchestrationPatch): unknown {
  const changed: Record<string, unknown> = { ...definition };
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete changed[field];
    else if (value !== undefined) changed[field] = value;
  }
  return changed;
}

/** What is stored of an orchestration's definition (and kept in its history), defaults filled in. */
export type StoredDefinition = Pick<
  OrchestrationRecord,
  'name' | 'goal' | 'segment' | 'provider' | 'target' | 'filters' | 'audience' | 'schedule' | 'cooldownDays'
>;

/** A checked definition with its resolved references, as it is stored. */
export function storedDefinition(
  definition: OrchestrationDefinition,
  references: Pick<OrchestrationRecord, 'segment' | 'provider'>,
): StoredDefinition {
  return {
    name: definition.name,
    goal: definition.goal,
    segment: references.segment,
    provider: references.provider,
    target: definition.target,
    filters: definition.filters ?? {},
    audience: definition.audience ?? {},
    schedule: definition.schedule ?? 'manual',
    cooldownDays: definition.cooldownDays ?? 0,
  };
}

/** The stored definition of a record (what its history rows keep). */
export function storedOf(record: OrchestrationRecord): StoredDefinition {
  const { name, goal, segment, provider, target, filters, audience, schedule, cooldownDays } = record;
  return { name, goal, segment, provider, target, filters, audience, schedule, cooldownDays };
}

/** Whether an orchestration may buy people in restricted regions (absent: no). */
export const allowsRestrictedRegions = (definition: Pick<OrchestrationDefinition, 'filters'>): boolean =>
  definition.filters?.allowRestrictedRegions === true;

const UNIQUE_VIOLATION = '23505';

/** Turns the unique-name index's refusal (two saves racing for one name) into `conflict`. */
export async function withUniqueOrchestrationName<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw orchestrationNameTaken(name);
    throw error;
  }
}

export function orchestrationNameTaken(name: string): AppError {
  return new AppError(
    'conflict',
    `an orchestration named "${name}" already exists (names are unique whatever their case): choose another name`,
  );
}

/** Locks an orchestration's row for the rest of the transaction (a run cannot be queued meanwhile). */
export async function lockOrchestration(tx: Db, id: number): Promise<void> {
  await tx.query('SELECT id FROM orchestrations WHERE id = $1 FOR UPDATE', [id]);
}
