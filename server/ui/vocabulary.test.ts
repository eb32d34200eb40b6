import { readFileSync } from 'node:fs';
import { UI_VOCABULARY_FILE, uiVocabularySource } from './vocabulary';

describe("the dashboard's vocabulary module", () => {
  it('is generated from server/src/domain/vocabulary.ts (else run: node bin/tsx.js scripts/ui-vocabulary.ts)', async () => {
    expect(readFileSync(UI_VOCABULARY_FILE, 'utf8')).toBe(await uiVocabularySource());
  });

  it('holds the same words, frozen', async () => {
    const source = await uiVocabularySource();
    expect(source).toContain(
      "export const BUYING_STAGES = Object.freeze(['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase']);",
    );
    expect(source).toContain("export const FIT_BANDS = Object.freeze(['Strong', 'Moderate', 'Weak']);");
  });

  it("holds the filter language's fields, operators and ordered values, as definition.ts has them", async () => {
    const source = await uiVocabularySource();
    expect(source).toContain("boolean: Object.freeze(['eq', 'neq', 'exists']),");
    expect(source).toContain("profile_fit: Object.freeze(['Weak', 'Moderate', 'Strong']),");
    expect(source).toContain("technologies: 'list',");
    expect(source).toContain("export const CRM_FIELD_PATTERN = '^crm\\\\.[A-Za-z][A-Za-z0-9_.]*$';");
    expect(source).toContain(
      "export const ALERT_EVENTS = Object.freeze(['became_qualified', 'stage_advanced', 'entered_segment']);",
    );
  });
});
