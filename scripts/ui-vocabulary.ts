// Writes the dashboard's copy of the vocabularies (see server/ui/vocabulary.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { UI_VOCABULARY_FILE, uiVocabularySource } from '../server/ui/vocabulary';

uiVocabularySource().then(
  (source) => {
    writeFileSync(UI_VOCABULARY_FILE, source);
    console.log(`Wrote ${path.relative(process.cwd(), UI_VOCABULARY_FILE)}`);
  },
  (error: unknown) => {
    console.error(
      `Writing the UI vocabulary failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
