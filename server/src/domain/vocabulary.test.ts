import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BUYING_STAGES, ENGAGEMENT_GRADES, FIT_BANDS, REACH_LEVELS, ROLES, parseRole } from './vocabulary';

const migration = (name: string) =>
  readFileSync(path.join(__dirname, '..', 'store', 'migrations', name), 'utf8').replace(/\s+/g, ' ');
const checkList = (values: readonly string[]) => `IN (${values.map((v) => `'${v}'`).join(', ')})`;

describe('the vocabularies', () => {
  it('are these words, in this order (the API, the CSV export and Salesforce show them as they are)', () => {
    expect(BUYING_STAGES).toEqual(['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase']);
    expect(FIT_BANDS).toEqual(['Strong', 'Moderate', 'Weak']);
    expect(REACH_LEVELS).toEqual(['Low', 'Medium', 'High']);
    expect(ENGAGEMENT_GRADES).toEqual(['A', 'B', 'C', 'D']);
    expect(ROLES).toEqual(['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only']);
  });

  it('are what the store accepts (the CHECK constraints of migration 0002)', () => {
    const scores = migration('0002_scores.sql');
    expect(scores).toContain(`buying_stage text CHECK (buying_stage ${checkList(BUYING_STAGES)})`);
    expect(scores).toContain(`profile_fit text CHECK (profile_fit ${checkList(FIT_BANDS)})`);
    expect(scores).toContain(`reach text NOT NULL CHECK (reach ${checkList(REACH_LEVELS)})`);
    expect(scores).toContain(
      `engagement_grade text NOT NULL CHECK (engagement_grade ${checkList(ENGAGEMENT_GRADES)})`,
    );
  });

  it('reads a role from text whatever its case or the separator in "View Only"', () => {
    expect(['View Only', 'view-only', 'view_only', 'viewonly', ' VIEW ONLY '].map(parseRole)).toEqual([
      'View Only',
      'View Only',
      'View Only',
      'View Only',
      'View Only',
    ]);
    expect(['admin', 'OPERATIONS', 'Marketing', 'sales', 'insights'].map(parseRole)).toEqual([
      'Admin',
      'Operations',
      'Marketing',
      'Sales',
      'Insights',
    ]);
    expect(['', 'Owner', 'view', 'admins'].map(parseRole)).toEqual([null, null, null, null]);
  });
});
