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

  it("holds the orchestrations' words, as orchestrations/vocabulary.ts has them", async () => {
    const source = await uiVocabularySource();
    expect(source).toContain(
      "export const ORCHESTRATION_GOALS = Object.freeze(['acquire_contacts', 'add_to_audience']);",
    );
    expect(source).toContain(
      "export const TARGET_TYPES = Object.freeze(['salesforce_campaign', 'outreach_sequence', 'csv']);",
    );
    expect(source).toContain(
      "export const RECORD_OUTCOMES = Object.freeze(['purchased', 'pushed', 'skipped', 'failed']);",
    );
    expect(source).toContain("export const EMAIL_CONFIDENCES = Object.freeze(['A', 'B', 'C', 'D']);");
    expect(source).toContain("export const LEAD_SOURCE = 'Signalfit';");
    expect(source).toContain(
      "export const JOB_LEVELS = Object.freeze(['C-Level', 'VP', 'Director', 'Manager', 'Staff']);",
    );
    for (const word of ['no_email', 'opted_out', 'already_in_crm', 'restricted_region', 'cap_reached']) {
      expect(source).toContain(`'${word}'`);
    }
    expect(source).toMatch(/export const WEEKDAYS = Object\.freeze\(\[\s*'sunday',\s*'monday',/);
  });
});
