import { factsEndOf, fitForecast } from './fitForecast';
import { DAY_MS } from './opportunities';

const S = Date.parse('2026-05-05T00:00:00Z');
const accounts = [
  { accountId: 'a', profileScore: 90 },
  { accountId: 'b', profileScore: 70 },
  { accountId: 'c', profileScore: 50 },
  { accountId: 'd', profileScore: null },
];

describe('fitForecast', () => {
  it('judges the fit on the openings within each horizon after the scoring day', () => {
    const openings = [
      { accountId: 'a', openedMs: S + 10 * DAY_MS },
      { accountId: 'c', openedMs: S + 120 * DAY_MS },
      { accountId: 'b', openedMs: S - DAY_MS }, // before the scoring day: not an outcome
      { accountId: 'd', openedMs: S + 180 * DAY_MS }, // the 180th day is outside [S, S + 180)
    ];
    const result = fitForecast({ accounts, openings, scoredAtMs: S, factsEndMs: S + 180 * DAY_MS });
    // 90 days: only a converts and ranks first of four → AUC 1.
    // 180 days: a (rank 4) and c (rank 2) against b (3) and d (1): pairs won a>b, a>d, c>d, lost c<b → 3/4.
    expect(result).toEqual([
      { days: 90, converted: 1, auc: 1 },
      { days: 180, converted: 2, auc: 0.75 },
    ]);
  });

  it('says a horizon the facts do not reach is not measurable', () => {
    const result = fitForecast({ accounts, openings: [], scoredAtMs: S, factsEndMs: S + 179 * DAY_MS });
    expect(result[1]).toEqual({ days: 180, converted: null, auc: null });
    expect(result[0]).toMatchObject({ days: 90, converted: 0 });
    expect(result[0]?.auc).toBeNaN();
  });

  it('ends the facts at the start of the day after the latest fact', () => {
    expect(factsEndOf(Date.parse('2026-10-31T23:59:00Z'))).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(factsEndOf(Date.parse('2026-11-01T00:00:00Z'))).toBe(Date.parse('2026-11-02T00:00:00Z'));
    expect(factsEndOf(null)).toBe(-Infinity);
  });
});
