import { generateMarket } from './market';
import { demoKeywords, marketShapeSchema, resolveShape } from './shape';
import { SELLER_KINDS } from './sellers';

const END = new Date('2026-11-01T00:00:00Z');
const accounts = (shape?: Parameters<typeof resolveShape>[0]) => [
  ...generateMarket({ seed: 6001, accounts: 40, endDate: END, shape }),
];

describe('market shape', () => {
  it('the default shape is the original market, row for row', () => {
    expect(accounts({})).toEqual(accounts());
    expect(
      accounts({
        seller: 'developer-security',
        buyingShare: 1,
        cycleLength: 1,
        noiseResearch: 1,
        sizeMix: 1,
        committeeEngagement: 1,
      }),
    ).toEqual(accounts());
  });

  it('each seller kind has its own configured keywords, and its research uses them', () => {
    const keywordSets = SELLER_KINDS.map((seller) => new Set(demoKeywords({ seller }).map((k) => k.keyword)));
    for (let i = 0; i < keywordSets.length; i++)
      for (let j = i + 1; j < keywordSets.length; j++)
        expect([...(keywordSets[i] as Set<string>)].filter((k) => keywordSets[j]?.has(k))).toEqual([]);
    const hr = resolveShape({ seller: 'hr-software' });
    expect(hr.unconfigured).not.toContain('payroll software');
    const research = accounts({ seller: 'hr-software', buyingShare: 3 })
      .flatMap((a) => a.activities)
      .filter((a) => a.type === 'keyword_research')
      .map((a) => a.keyword as string);
    expect(research.some((k) => hr.allConfigured.includes(k))).toBe(true);
    expect(research.some((k) => k.startsWith('sast'))).toBe(false);
  });

  it('more buying share means more relevant opportunities; a size mix moves head counts', () => {
    const opened = (shape: Parameters<typeof resolveShape>[0]) =>
      accounts(shape).reduce((n, a) => n + a.truth.cycles.length, 0);
    expect(opened({ buyingShare: 3 })).toBeGreaterThan(opened({}));
    const employees = (sizeMix: number) =>
      accounts({ sizeMix }).reduce((n, a) => n + Math.log(a.account.employees ?? 1), 0);
    expect(employees(5)).toBeGreaterThan(employees(1));
  });

  it('rejects unknown knobs and values out of range, naming the field', () => {
    const bad = marketShapeSchema.safeParse({ seller: 'crm', cycleLength: 9, colour: 'red' });
    expect(bad.success).toBe(false);
    const paths = bad.success ? [] : bad.error.issues.map((issue) => issue.path.join('.') || issue.code);
    expect(paths).toEqual(expect.arrayContaining(['seller', 'cycleLength']));
  });
});
