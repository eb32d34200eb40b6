import { activityKindOf, maskOf } from '../../domain/reports/activityKinds';
import { parseTimeframe, type Timeframe } from '../../domain/reports/timeframes';
import { ACTIVITY_TYPES } from '../../domain/canonical';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { activityMasks } from './segmentPerformanceData';

function timeframe(text: string): Timeframe {
  const parsed = parseTimeframe('t', text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.timeframe;
}

const SOURCES = [
  null,
  'first_party',
  'bombora',
  'g2',
  'trustradius',
  'ads',
  'linkedin',
  'dsp',
  'web',
  'map',
  'rollworks',
];
const KEYWORDS = [null, 'Widgets', 'gadgets'];

/** One account per combination of type, source, person and keyword, with that one activity. */
const CASES = ACTIVITY_TYPES.flatMap((type) =>
  SOURCES.flatMap((source) =>
    [false, true].flatMap((person) => KEYWORDS.map((keyword) => ({ type, source, person, keyword }))),
  ),
).map((c, i) => ({ ...c, account: `acc-${i}` }));

describe.each(testStoreTargets())('activity kinds in SQL ($name)', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  it('classifies every combination of type, source, person and keyword as the domain does', async () => {
    await db.run(`INSERT INTO keywords (keyword) VALUES ('widgets')`);
    const values = CASES.map(
      (_, i) =>
        `($${i * 6 + 1}, $${i * 6 + 2}, '2026-02-10T00:00:00Z', $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`,
    );
    await db.run(
      `INSERT INTO activities (id, account_id, occurred_at, type, source, contact_id, keyword) VALUES ${values.join(', ')}`,
      CASES.flatMap((c, i) => [`x${i}`, c.account, c.type, c.source, c.person ? 'p-1' : null, c.keyword]),
    );
    const masks = await activityMasks(
      db,
      CASES.map((c) => c.account),
      { baseline: timeframe('2026-01'), analysis: timeframe('2026-02') },
    );
    expect(masks.baseline.size).toBe(0);
    const mismatches = CASES.filter((c) => {
      const kind = activityKindOf({
        type: c.type,
        source: c.source,
        person: c.person,
        configuredKeyword: c.keyword !== null && c.keyword.toLowerCase() === 'widgets',
      });
      return (masks.analysis.get(c.account) ?? 0) !== (kind === null ? 0 : maskOf([kind]));
    });
    expect(mismatches).toEqual([]);
    // Not vacuous: most combinations have a kind, unconfigured research has none.
    expect(masks.analysis.size).toBeGreaterThan(CASES.length / 2);
    expect(
      masks.analysis.get(
        CASES.find((c) => c.type === 'keyword_research' && c.keyword === 'gadgets')!.account,
      ),
    ).toBeUndefined();
  });
});
