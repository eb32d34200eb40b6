import path from 'node:path';
import * as prettier from 'prettier';
import * as vocabulary from '../src/domain/vocabulary';

/**
 * The dashboard's copy of the vocabularies (server/src/domain/vocabulary.ts): the UI's bundler
 * reads JavaScript only, so `node bin/tsx.js scripts/ui-vocabulary.ts` writes them as a module of
 * the `sf` namespace, and vocabulary.test.ts fails while the copy differs.
 */
export const UI_VOCABULARY_FILE = path.join(__dirname, 'src', 'modules', 'sf', 'vocabulary', 'vocabulary.js');

/** The module's text: each list frozen, formatted as Prettier formats the repository. */
export async function uiVocabularySource(): Promise<string> {
  // Sorted by name: a module namespace lists its exports in an order that depends on the loader.
  const names = Object.keys(vocabulary).sort() as (keyof typeof vocabulary)[];
  const lists = names.map(
    (name) => `export const ${name} = Object.freeze(${JSON.stringify(vocabulary[name])});`,
  );
  const source = [
    '// Generated from server/src/domain/vocabulary.ts by `node bin/tsx.js scripts/ui-vocabulary.ts`:',
    '// change the words there (where they are explained), then run it.',
    ...lists,
    '',
  ].join('\n');
  const options = await prettier.resolveConfig(UI_VOCABULARY_FILE);
  return prettier.format(source, { ...options, filepath: UI_VOCABULARY_FILE });
}
