import path from 'node:path';
import * as prettier from 'prettier';
import { ACTIVITY_TYPES, JOB_LEVELS, RESEARCH_SOURCES } from '../src/domain/canonical';
import * as orchestrationVocabulary from '../src/domain/orchestrations/vocabulary';
import {
  ACCOUNT_FIELDS,
  ALERT_DELIVERIES,
  ALERT_EVENTS,
  CRM_FIELD_PATTERN,
  OPS_BY_KIND,
  ORDERED_VALUES,
  SCORE_FIELDS,
  SEGMENT_KINDS,
  STRUCTURED_FIELDS,
} from '../src/domain/segments/definition';
import * as vocabulary from '../src/domain/vocabulary';
import { MODEL_KINDS } from '../src/domain/scoring/modelCodec';
import { MODEL_STATES } from '../src/services/models/versionStore';

/**
 * The dashboard's copy of the vocabularies (server/src/domain/vocabulary.ts), of the segment
 * filter language's fields and operators (server/src/domain/segments/definition.ts) and of the
 * orchestrations' words (server/src/domain/orchestrations/vocabulary.ts) and of the model versions'
 * kinds and states (server/src/domain/scoring/modelCodec.ts, server/src/services/models/versionStore.ts): the UI's
 * bundler reads JavaScript only, so `node bin/tsx.js scripts/ui-vocabulary.ts` writes them as a
 * module of the `sf` namespace, and vocabulary.test.ts fails while the copy differs.
 */
export const UI_VOCABULARY_FILE = path.join(__dirname, 'src', 'modules', 'sf', 'vocabulary', 'vocabulary.js');

/** What the segment builder needs of the filter language (a regular expression as its source). */
const SEGMENT_LANGUAGE = {
  ACCOUNT_FIELDS,
  ACTIVITY_TYPES,
  ALERT_DELIVERIES,
  ALERT_EVENTS,
  CRM_FIELD_PATTERN: CRM_FIELD_PATTERN.source,
  OPS_BY_KIND,
  ORDERED_VALUES,
  RESEARCH_SOURCES,
  SCORE_FIELDS,
  SEGMENT_KINDS,
  STRUCTURED_FIELDS,
};

/**
 * One frozen export per name, in name order; objects are frozen one level down as well. Only the
 * words are copied: functions beside them (e.g. parseRole) stay on the server.
 */
function frozenExports(values: Record<string, unknown>): string[] {
  // Sorted by name: a module namespace lists its exports in an order that depends on the loader.
  return Object.keys(values)
    .filter((name) => typeof values[name] !== 'function')
    .sort()
    .map((name) => {
      const value = values[name];
      if (typeof value === 'string') return `export const ${name} = ${JSON.stringify(value)};`;
      if (Array.isArray(value) || typeof value !== 'object' || value === null)
        return `export const ${name} = Object.freeze(${JSON.stringify(value)});`;
      const entries = Object.entries(value).map(([key, inner]) =>
        Array.isArray(inner)
          ? `${JSON.stringify(key)}: Object.freeze(${JSON.stringify(inner)})`
          : `${JSON.stringify(key)}: ${JSON.stringify(inner)}`,
      );
      return `export const ${name} = Object.freeze({ ${entries.join(', ')} });`;
    });
}

/** The module's text: each list frozen, formatted as Prettier formats the repository. */
export async function uiVocabularySource(): Promise<string> {
  const source = [
    '// Generated from server/src/domain/vocabulary.ts, server/src/domain/segments/definition.ts and',
    '// server/src/domain/orchestrations/vocabulary.ts by `node bin/tsx.js scripts/ui-vocabulary.ts`:',
    '// change the words there (where they are explained), then run it.',
    ...frozenExports({ ...vocabulary }),
    '// The segment filter language (definition.ts).',
    ...frozenExports(SEGMENT_LANGUAGE),
    '// Orchestrations (orchestrations/vocabulary.ts), and the job levels a title filter names.',
    ...frozenExports({ ...orchestrationVocabulary, JOB_LEVELS }),
    '// Model versions: their kinds (scoring/modelCodec.ts) and states (models/versionStore.ts).',
    ...frozenExports({ MODEL_KINDS, MODEL_STATES }),
    '',
  ].join('\n');
  const options = await prettier.resolveConfig(UI_VOCABULARY_FILE);
  return prettier.format(source, { ...options, filepath: UI_VOCABULARY_FILE });
}
