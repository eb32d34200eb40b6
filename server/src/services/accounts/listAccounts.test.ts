import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BUYING_STAGES, REACH_LEVELS } from '../../domain/vocabulary';
import { rankOf } from './listAccounts';

describe('rankOf', () => {
  it('ranks the stage and reach sorts by the expressions migration 0006 indexes (the planner must match them)', () => {
    const app = readFileSync(
      path.join(__dirname, '..', '..', 'store', 'migrations', '0006_app.sql'),
      'utf8',
    ).replace(/\s+/g, ' ');
    expect(rankOf('buying_stage', BUYING_STAGES)).toBe(
      "(CASE buying_stage WHEN 'Target' THEN 1 WHEN 'Awareness' THEN 2 WHEN 'Consideration' THEN 3 WHEN 'Decision' THEN 4 WHEN 'Purchase' THEN 5 ELSE 0 END)",
    );
    expect(app).toContain(rankOf('buying_stage', BUYING_STAGES));
    expect(app).toContain(rankOf('reach', REACH_LEVELS));
  });
});
