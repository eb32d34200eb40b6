import { DEFAULT_RELEVANT_RULE } from '../scoring/opportunities';
import type { BuyingStage } from '../vocabulary';
import { activityKindOf, maskOf } from './activityKinds';
import { reportedOpportunities, type ReportOpportunity } from './opportunityMeasures';
import { changePercent, segmentPerformance, type SegmentPerformanceInput } from './segmentPerformance';
import { parseTimeframe, type Timeframe } from './timeframes';

function timeframe(text: string): Timeframe {
  const parsed = parseTimeframe('t', text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.timeframe;
}

// Baseline January 2026; analysis February to March 2026 (a range of months).
const baseline = timeframe('2026-01');
const analysis = timeframe('2026-02..2026-03');
const cohort = ['A', 'B', 'C', 'D'];

function opp(
  o: Partial<ReportOpportunity> & Pick<ReportOpportunity, 'accountId' | 'createdAt'>,
): ReportOpportunity {
  return { type: null, amount: null, currency: null, isWon: false, relevant: null, closedAt: null, ...o };
}

const OPPORTUNITIES: Record<string, ReportOpportunity> = {
  o1: opp({
    accountId: 'A',
    type: 'New Business',
    amount: 1000,
    currency: 'USD',
    createdAt: '2026-02-10T00:00:00Z',
    isWon: true,
    closedAt: '2026-03-05T00:00:00Z',
  }),
  o2: opp({
    accountId: 'A',
    type: 'new business',
    amount: 500,
    currency: 'EUR',
    createdAt: '2026-03-01T00:00:00Z',
  }),
  o3: opp({
    accountId: 'B',
    relevant: true,
    createdAt: '2026-01-15T00:00:00Z',
    isWon: true,
    closedAt: '2026-02-20T00:00:00Z',
  }),
  o4: opp({ accountId: 'C', amount: 0, currency: 'usd', createdAt: '2026-04-01T00:00:00Z' }),
  o5: opp({ accountId: 'D', amount: 2000, relevant: false, createdAt: '2026-03-31T23:59:59Z' }),
  o6: opp({
    accountId: 'B',
    type: 'Renewal',
    amount: 300,
    currency: 'USD',
    createdAt: '2025-12-31T23:59:59Z',
    isWon: true,
    closedAt: '2026-01-31T23:00:00Z',
  }),
};
const ALL = Object.values(OPPORTUNITIES);

type Act = { type: string; source?: string; person?: boolean; configured?: boolean };
/** What the store's aggregation does: the bit set of the kinds of each account's activities. */
function masks(byAccount: Record<string, Act[]>): Map<string, number> {
  const map = new Map<string, number>();
  for (const [account, acts] of Object.entries(byAccount)) {
    const kinds = acts
      .map((a) =>
        activityKindOf({
          type: a.type,
          source: a.source ?? null,
          person: a.person ?? false,
          configuredKeyword: a.configured ?? false,
        }),
      )
      .filter((k): k is string => k !== null);
    map.set(account, maskOf(kinds));
  }
  return map;
}

const activityMasks = {
  baseline: masks({
    A: [
      { type: 'keyword_research', source: 'bombora', configured: true },
      { type: 'web_visit', source: 'web' },
    ],
    B: [
      { type: 'email_open', source: 'map', person: true },
      { type: 'sales_email', source: 'crm', person: true },
    ],
    C: [{ type: 'keyword_research', source: 'g2', configured: false }],
  }),
  analysis: masks({
    A: [
      { type: 'keyword_research', source: 'bombora', configured: true },
      { type: 'keyword_research', source: 'first_party', configured: true },
      { type: 'ad_impression', source: 'linkedin' },
    ],
    B: [
      { type: 'web_visit', source: 'web', person: true },
      { type: 'sales_reply', source: 'outreach', person: true },
    ],
    C: [
      { type: 'ad_impression', source: 'rollworks' },
      { type: 'email_sent', source: 'map', person: true },
    ],
    D: [
      { type: 'keyword_research', source: 'g2', configured: true },
      { type: 'ad_click', source: 'ads' },
    ],
  }),
};

const stages = {
  baseline: new Map<string, BuyingStage>([
    ['A', 'Target'],
    ['B', 'Decision'],
    ['C', 'Awareness'],
  ]),
  analysis: new Map<string, BuyingStage>([
    ['A', 'Consideration'],
    ['B', 'Awareness'],
    ['C', 'Awareness'],
    ['D', 'Purchase'],
  ]),
};

function input(type: 'stage' | 'engagement', opportunities = ALL): SegmentPerformanceInput {
  return { type, baseline, analysis, cohort, stages, activityMasks, opportunities };
}

const zero = { pipeline_count: 0, pipeline_amount: 0, won_count: 0, won_amount: 0 };

describe('changePercent', () => {
  it('is the change in percent, null on a zero baseline', () => {
    expect(changePercent(4, 5)).toBe(25);
    expect(changePercent(2, 1)).toBe(-50);
    expect(changePercent(0, 3)).toBeNull();
    expect(changePercent(0, 0)).toBeNull();
  });
});

describe('reportedOpportunities', () => {
  const ids = (list: ReportOpportunity[]) =>
    list.map((o) => Object.keys(OPPORTUNITIES).find((k) => OPPORTUNITIES[k] === o));
  it('keeps every opportunity by default', () => {
    expect(
      ids(
        reportedOpportunities(
          ALL,
          { excludeZeroAmount: false, excludeIrrelevant: false },
          DEFAULT_RELEVANT_RULE,
        ),
      ),
    ).toHaveLength(6);
  });
  it('drops blank and zero amounts', () => {
    expect(
      ids(
        reportedOpportunities(
          ALL,
          { excludeZeroAmount: true, excludeIrrelevant: false },
          DEFAULT_RELEVANT_RULE,
        ),
      ),
    ).toEqual(['o1', 'o2', 'o5', 'o6']);
  });
  it('drops irrelevant ones: the flag first, else the rule (type New Business, amount above 0)', () => {
    expect(
      ids(
        reportedOpportunities(
          ALL,
          { excludeZeroAmount: false, excludeIrrelevant: true },
          DEFAULT_RELEVANT_RULE,
        ),
      ),
    ).toEqual(['o1', 'o2', 'o3']);
  });
});

describe('segmentPerformance, buying stages', () => {
  const { tables, accountsOf } = segmentPerformance(input('stage'));

  it('summarises the cohort: a stage reached from no score counts as increased', () => {
    // A Target→Consideration and D (no score)→Purchase up, B Decision→Awareness down, C stays.
    // Analysis pipeline: o1 1000 + o2 (EUR, counted, no amount) + o5 2000; won: o1 1000 + o3 (blank).
    expect(tables.summary).toEqual({
      accounts: 4,
      increased: 2,
      decreased: 1,
      unchanged: 1,
      pipeline_count: 3,
      pipeline_amount: 3000,
      won_count: 2,
      won_amount: 1000,
    });
    expect(accountsOf('summary:increased')).toEqual(['A', 'D']);
    expect(accountsOf('summary:pipeline')).toEqual(['A', 'D']);
  });

  it('distributes by highest stage, with each bucket’s pipeline and won in its timeframe', () => {
    expect(tables.distribution).toEqual({
      not_scored: { baseline: { accounts: 1, ...zero }, analysis: { accounts: 0, ...zero } },
      Target: { baseline: { accounts: 1, ...zero }, analysis: { accounts: 0, ...zero } },
      Awareness: {
        baseline: { accounts: 1, ...zero },
        analysis: { accounts: 2, pipeline_count: 0, pipeline_amount: 0, won_count: 1, won_amount: 0 },
      },
      Consideration: {
        baseline: { accounts: 0, ...zero },
        analysis: { accounts: 1, pipeline_count: 2, pipeline_amount: 1000, won_count: 1, won_amount: 1000 },
      },
      Decision: {
        baseline: { accounts: 1, pipeline_count: 1, pipeline_amount: 0, won_count: 1, won_amount: 300 },
        analysis: { accounts: 0, ...zero },
      },
      Purchase: {
        baseline: { accounts: 0, ...zero },
        analysis: { accounts: 1, pipeline_count: 1, pipeline_amount: 2000, won_count: 0, won_amount: 0 },
      },
    });
    expect(accountsOf('distribution:analysis.Awareness')).toEqual(['B', 'C']);
  });

  it('counts the movement from baseline stage to analysis stage', () => {
    const m = tables.movement!;
    expect(Object.keys(m)).toEqual([
      'not_scored',
      'Target',
      'Awareness',
      'Consideration',
      'Decision',
      'Purchase',
    ]);
    const nonZero = Object.entries(m).flatMap(([from, row]) =>
      Object.entries(row)
        .filter(([, n]) => n > 0)
        .map(([to, n]) => `${from}→${to}: ${n}`),
    );
    expect(nonZero.sort()).toEqual([
      'Awareness→Awareness: 1',
      'Decision→Awareness: 1',
      'Target→Consideration: 1',
      'not_scored→Purchase: 1',
    ]);
    expect(accountsOf('movement:Decision.Awareness')).toEqual(['B']);
  });

  it('omits the not-scored bucket when every account has a stage in both timeframes', () => {
    const all = { ...stages, baseline: new Map([...stages.baseline, ['D', 'Target' as BuyingStage]]) };
    const result = segmentPerformance({ ...input('stage'), stages: all });
    expect(Object.keys(result.tables.distribution)).toEqual([
      'Target',
      'Awareness',
      'Consideration',
      'Decision',
      'Purchase',
    ]);
    expect(result.tables.summary.increased).toBe(2); // D Target→Purchase
  });

  it('applies the opportunity options to every sum', () => {
    const kept = reportedOpportunities(
      ALL,
      { excludeZeroAmount: true, excludeIrrelevant: false },
      DEFAULT_RELEVANT_RULE,
    );
    const result = segmentPerformance(input('stage', kept));
    expect(result.tables.summary).toMatchObject({
      pipeline_count: 3,
      pipeline_amount: 3000,
      won_count: 1,
      won_amount: 1000,
    });
    expect(result.tables.distribution.Decision!.baseline).toEqual({
      accounts: 1,
      pipeline_count: 0,
      pipeline_amount: 0,
      won_count: 1,
      won_amount: 300,
    });
  });
});

describe('segmentPerformance, engagement', () => {
  const { tables, accountsOf } = segmentPerformance(input('engagement'));

  it('compares the highest state of each account', () => {
    // Highest: A anonymous visit → won, B won → won, C none → none, D none → opportunity opened.
    expect(tables.summary).toEqual({
      accounts: 4,
      increased: 2,
      decreased: 0,
      unchanged: 2,
      pipeline_count: 3,
      pipeline_amount: 3000,
      won_count: 2,
      won_amount: 1000,
    });
    expect(tables.movement).toBeUndefined();
  });

  it('counts accounts in every state they meet; amounts only under the opportunity states', () => {
    const none = { pipeline_count: null, pipeline_amount: null, won_count: null, won_amount: null };
    expect(tables.distribution).toEqual({
      no_engagement: { baseline: { accounts: 2, ...none }, analysis: { accounts: 1, ...none } },
      intent: { baseline: { accounts: 1, ...none }, analysis: { accounts: 2, ...none } },
      anonymous_web_visit: { baseline: { accounts: 1, ...none }, analysis: { accounts: 0, ...none } },
      known_engagement: { baseline: { accounts: 1, ...none }, analysis: { accounts: 2, ...none } },
      opportunity_opened: {
        baseline: { accounts: 1, pipeline_count: 1, pipeline_amount: 0, won_count: null, won_amount: null },
        analysis: {
          accounts: 2,
          pipeline_count: 3,
          pipeline_amount: 3000,
          won_count: null,
          won_amount: null,
        },
      },
      opportunity_won: {
        baseline: { accounts: 1, pipeline_count: null, pipeline_amount: null, won_count: 1, won_amount: 300 },
        analysis: {
          accounts: 2,
          pipeline_count: null,
          pipeline_amount: null,
          won_count: 2,
          won_amount: 1000,
        },
      },
    });
    expect(accountsOf('distribution:analysis.known_engagement')).toEqual(['B', 'D']);
    expect(accountsOf('distribution:baseline.no_engagement')).toEqual(['C', 'D']);
  });

  it('lists activities by source: distinct accounts, change in percent, analysis pipeline and won', () => {
    const line = (panel: string, metric: string, source?: string) =>
      tables.activities.find((l) => l.panel === panel && l.metric === metric && l.source === source);
    expect(line('intent', 'total')).toEqual({
      panel: 'intent',
      metric: 'total',
      baseline_accounts: 1,
      analysis_accounts: 2,
      change_pct: 100,
      pipeline_amount: 3000,
      won_amount: 1000,
    });
    expect(line('intent', 'keyword_research', 'bombora')).toMatchObject({
      baseline_accounts: 1,
      analysis_accounts: 1,
      change_pct: 0,
      pipeline_amount: 1000,
    });
    // C researched an unconfigured keyword in the baseline: no intent.
    expect(line('intent', 'keyword_research', 'g2')).toMatchObject({
      baseline_accounts: 0,
      analysis_accounts: 1,
      change_pct: null,
      pipeline_amount: 2000,
      won_amount: 0,
    });
    expect(line('intent', 'keyword_research', 'other')).toBeUndefined();
    expect(line('marketing_reached', 'total')).toMatchObject({
      baseline_accounts: 0,
      analysis_accounts: 2,
      change_pct: null,
      pipeline_amount: 1000,
      won_amount: 1000,
    });
    expect(line('marketing_reached', 'ad_impression', 'other')).toMatchObject({
      baseline_accounts: 0,
      analysis_accounts: 1,
    });
    expect(line('marketing_engaged', 'total')).toMatchObject({
      baseline_accounts: 2,
      analysis_accounts: 2,
      change_pct: 0,
      pipeline_amount: 2000,
      won_amount: 0,
    });
    expect(line('marketing_engaged', 'email_open')).toMatchObject({
      baseline_accounts: 1,
      analysis_accounts: 0,
      change_pct: -100,
    });
    expect(line('marketing_engaged', 'web_visit_anonymous')).toMatchObject({
      baseline_accounts: 1,
      analysis_accounts: 0,
    });
    expect(line('marketing_engaged', 'web_visit_known')).toMatchObject({
      baseline_accounts: 0,
      analysis_accounts: 1,
    });
    expect(line('sales_reached', 'total')).toMatchObject({
      baseline_accounts: 1,
      analysis_accounts: 0,
      change_pct: -100,
    });
    expect(line('sales_engaged', 'sales_reply')).toMatchObject({
      baseline_accounts: 0,
      analysis_accounts: 1,
      change_pct: null,
    });
    expect(accountsOf('activities:analysis.marketing_engaged.ad_click.ads')).toEqual(['D']);
  });

  it('offers the activity-type view: reached and engaged over marketing and sales', () => {
    const total = (panel: string) =>
      tables.activities_by_type.find((l) => l.panel === panel && l.metric === 'total');
    expect(total('reached')).toMatchObject({ baseline_accounts: 1, analysis_accounts: 2, change_pct: 100 });
    expect(total('engaged')).toMatchObject({ baseline_accounts: 2, analysis_accounts: 2, change_pct: 0 });
    expect(accountsOf('activities:baseline.reached.total')).toEqual(['B']);
  });
});
