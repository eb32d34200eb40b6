import {
  findCycle,
  parseDefinition,
  referencedSegments,
  type Definition,
  type SegmentKind,
} from '../../domain/segments/definition';
import { segmentReferences, usesCrmFields } from '../../domain/segments/references';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';

export interface StoredDefinition {
  id: number;
  name: string;
  definition: Definition | null;
}

/** Every segment's name and definition (the reference graph). */
export async function storedDefinitions(db: Db): Promise<StoredDefinition[]> {
  const rows = await db.query<{ id: string; name: string; definition: Definition | null }>(
    'SELECT id, name, definition FROM segments ORDER BY id',
  );
  return rows.map((row) => ({ id: Number(row.id), name: row.name, definition: row.definition }));
}

const invalid = (path: string, message: string) => new AppError('invalid_segment', message, { path });

export interface CheckedDefinition {
  kind: SegmentKind;
  definition: Definition | null;
}

/**
 * A definition about to be saved as segment `name` (`selfId` when it exists already), checked
 * against the store: well formed, every referenced segment exists, and no chain of references
 * leads back to the segment itself. The kind is the one asked for, or inferred (`crm` when a
 * `crm.` field is used). Run it under lockSegments so the graph cannot change meanwhile.
 */
export async function checkDefinition(
  tx: Db,
  props: { name: string; kind?: SegmentKind; definition: unknown; selfId?: number },
): Promise<CheckedDefinition> {
  const { name, selfId } = props;
  if (props.definition === undefined || props.definition === null) {
    if (props.kind === 'list') return { kind: 'list', definition: null };
    throw invalid(
      '',
      'definition: a filter segment needs a definition, e.g. {"all": [{"field": "qualified", "op": "eq", "value": true}]}',
    );
  }
  const parsed = parseDefinition(props.definition);
  if (!parsed.ok) throw invalid(parsed.issue.path, parsed.issue.message);
  const definition = parsed.definition;

  const others = (await storedDefinitions(tx)).filter((segment) => segment.id !== selfId);
  const byName = new Map(others.map((segment) => [segment.name.toLowerCase(), segment]));
  const self = name.toLowerCase();
  for (const reference of segmentReferences(definition)) {
    if (reference.name.toLowerCase() !== self && !byName.has(reference.name.toLowerCase())) {
      throw invalid(reference.path, `${reference.path}: no segment named "${reference.name}"`);
    }
  }
  const referencesOf = (segment: string): readonly string[] => {
    if (segment.toLowerCase() === self) return referencedSegments(definition);
    const stored = byName.get(segment.toLowerCase())?.definition;
    return stored ? referencedSegments(stored) : [];
  };
  const cycle = findCycle(name, referencesOf);
  if (cycle) {
    const first = segmentReferences(definition).find(
      (reference) => reference.name.toLowerCase() === cycle[1]!.toLowerCase(),
    );
    const path = first?.path ?? '';
    throw invalid(
      path,
      `${path || 'definition'}: the segment references form a cycle (${cycle.join(' → ')}): a segment cannot contain itself`,
    );
  }

  const crm = usesCrmFields(definition);
  const kind = props.kind ?? (crm ? 'crm' : 'filter');
  if (kind === 'filter' && crm) {
    throw invalid(
      '',
      'definition: it filters on Salesforce fields (crm.…), so its kind is crm: leave kind out or say "crm"',
    );
  }
  return { kind, definition };
}

/**
 * The segments whose definitions reach `name` through references, in an order where each comes
 * after every segment it refers to (so re-recording them in this order reads fresh members).
 */
export function dependantsOf(name: string, segments: readonly StoredDefinition[]): StoredDefinition[] {
  const key = (text: string) => text.toLowerCase();
  const referrers = new Map<string, StoredDefinition[]>();
  for (const segment of segments) {
    for (const referenced of segment.definition ? referencedSegments(segment.definition) : []) {
      const list = referrers.get(key(referenced)) ?? [];
      list.push(segment);
      referrers.set(key(referenced), list);
    }
  }
  const order: StoredDefinition[] = [];
  const seen = new Set<string>([key(name)]);
  const visit = (segment: string) => {
    for (const referrer of referrers.get(key(segment)) ?? []) {
      if (seen.has(key(referrer.name))) continue;
      seen.add(key(referrer.name));
      visit(referrer.name);
      order.push(referrer);
    }
  };
  visit(name);
  // Depth-first post-order lists a segment after those that refer to it: reverse it.
  return order.reverse();
}

/** The segments whose definitions refer to segment `name` directly. */
export async function referrersOf(
  tx: Db,
  segment: { id: number; name: string },
): Promise<StoredDefinition[]> {
  const name = segment.name.toLowerCase();
  return (await storedDefinitions(tx)).filter(
    (other) =>
      other.id !== segment.id &&
      other.definition !== null &&
      referencedSegments(other.definition).some((ref) => ref.toLowerCase() === name),
  );
}

/** `"a", "b"`: names for a message. */
export const quotedNames = (segments: readonly { name: string }[]) =>
  segments.map((segment) => `"${segment.name}"`).join(', ');
