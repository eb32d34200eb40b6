import {
  F,
  FIXED_INTENT_FEATURES,
  intentFeatureNames,
  intentModelInput,
  intentSignals,
  intentVocabulary,
  siteSection,
} from './intentFeatures';
import { DAY_MS, type OpportunityFact } from './opportunities';
import { emptyWindow, RECORD, UNIT, type WindowActivity } from './windowActivity';

const S = Date.UTC(2026, 10, 1); // snapshot 2026-11-01T00:00:00Z

const list = (...records: Array<Array<string | number>>) =>
  records.map((fields) => fields.join(UNIT)).join(RECORD);

/** A hand-built window: research, visits, engagement and reach in the 91 days before S. */
const window: WindowActivity = {
  research7: 2,
  research28: 4,
  research91: 6,
  review28: 2,
  branded28: 1,
  lastResearchAge: 2,
  visits91: 9,
  engagement28: 3,
  engagement91: 5,
  reach28: 5.5, // two sales calls (4), a marketing email (0.5), five ad impressions (1)
  sales28: 2,
  urlList: [
    'https://acme.io/pricing',
    '/pricing?plan=pro',
    'https://acme.io/docs/cli#install',
    'https://acme.io/',
    '/careers',
  ].join(RECORD),
  researchList: list(
    [2, 'bombora', 'devsecops'],
    [5, 'g2', 'signalfit'],
    [10, 'first_party', 'devsecops'],
    [20, 'trustradius', 'sast'],
    [40, 'bombora', 'sbom'],
    [70, 'bombora', 'devsecops'],
  ),
  engagementList: list(
    [3, 'email_open', 'c1'],
    [3, 'email_click', 'c1'],
    [12, 'form_fill', 'c2'],
    [30, 'webinar', 'c3'],
    [50, 'email_open', 'c1'],
  ),
};
const vocabulary = { sections: ['/', '/docs', '/pricing'] };

function opportunity(
  createdDaysAgo: number,
  closedDaysAgo: number | null,
  won = false,
  relevant = true,
): OpportunityFact {
  return {
    createdMs: S - createdDaysAgo * DAY_MS,
    closedMs: closedDaysAgo === null ? null : S - closedDaysAgo * DAY_MS,
    won,
    relevant,
  };
}

function named(values: Float64Array): Record<string, number> {
  return Object.fromEntries(intentFeatureNames(vocabulary).map((name, j) => [name, values[j] as number]));
}

describe('siteSection', () => {
  it.each([
    ['https://www.acme.io/Docs/cli?x=1', '/docs'],
    ['http://acme.io/pricing', '/pricing'],
    ['HTTPS://ACME.IO/Pricing/Enterprise', '/pricing'],
    ['https://acme.io:8443/blog/2026/11/post', '/blog'],
    ['https://acme.io/pricing?utm_source=x/y', '/pricing'],
    ['https://acme.io/pricing#faq', '/pricing'],
    ['https://acme.io', '/'],
    ['https://acme.io/', '/'],
    ['https://acme.io/?utm_source=ads', '/'],
    ['https://acme.io#top', '/'],
    ['/docs/cli?x', '/docs'],
    ['/pricing', '/pricing'],
    ['pricing/teams', '/pricing'],
    ['//docs//cli', '/docs'],
    ['/', '/'],
    ['', '/'],
    ['?q=sbom', '/'],
  ])('%j → %j', (url, section) => {
    expect(siteSection(url)).toBe(section);
  });
});

describe('intentVocabulary', () => {
  it('keeps the 8 most visited sections (ties by name), listed by name', () => {
    const urls = [
      ...Array<string>(5).fill('/pricing'),
      ...Array<string>(4).fill('https://acme.io/docs/a'),
      ...Array<string>(4).fill('/blog?p=1'),
      ...Array<string>(3).fill('/careers'),
      ...Array<string>(3).fill('/about'),
      ...Array<string>(2).fill('/zoo'),
      ...Array<string>(2).fill('/api'),
      ...Array<string>(2).fill('https://acme.io/'),
      ...Array<string>(2).fill('/legal'),
      '/x',
    ];
    const windows = [
      { ...emptyWindow(), urlList: urls.slice(0, 10).join(RECORD) },
      undefined,
      { ...emptyWindow(), urlList: urls.slice(10).join(RECORD) },
      emptyWindow(),
    ];
    const result = intentVocabulary(windows);
    // 5 + 4 + 4 + 3 + 3, then three of the four sections with 2 visits: '/', '/api', '/legal' (not '/zoo').
    expect(result.sections).toEqual([
      '/',
      '/about',
      '/api',
      '/blog',
      '/careers',
      '/docs',
      '/legal',
      '/pricing',
    ]);
    expect(intentFeatureNames(result).slice(FIXED_INTENT_FEATURES.length)).toEqual(
      result.sections.map((s) => `visits_28d:${s}`),
    );
  });

  it('is empty without visits', () => {
    expect(intentVocabulary([undefined, emptyWindow()]).sections).toEqual([]);
  });
});

describe('intentSignals', () => {
  it('reads a hand-built window and the opportunities before S', () => {
    const opportunities = [
      opportunity(200, 100, true), // won 100 days ago: a customer, opened within the year
      opportunity(10, null), // open
      opportunity(5, null, false, false), // not relevant: ignored
      opportunity(-3, null), // created after S: ignored
    ];
    expect(named(intentSignals(window, opportunities, S, vocabulary))).toEqual({
      research_7d: 2,
      research_28d: 4,
      research_91d: 6,
      research_review_28d: 2,
      research_branded_28d: 1,
      keywords_28d: 3, // devsecops, signalfit, sast (sbom is older than 28 days)
      research_trend: expect.closeTo(Math.log(45 / 17), 14), // ln(1 + 4) − ln(1 + 2 · 28/63) = ln(5 · 63/119)
      research_recency: expect.closeTo(Math.exp(-2 / 28), 15),
      visits_91d: 9,
      engagement_28d: 3,
      engagement_91d: 5,
      engaged_people_28d: 2, // c1 and c2; c3's webinar is 30 days old
      reach_28d: 5.5,
      sales_touches_28d: 2,
      open_opportunity: 1,
      opportunity_last_year: 1,
      customer: 1,
      'visits_28d:/': 1,
      'visits_28d:/docs': 1,
      'visits_28d:/pricing': 2, // /careers is not in the vocabulary
    });
  });

  it.each([
    ['only recent research', 4, 4, Math.log(5)], // ln 5 − ln 1
    ['fading research', 0, 9, -Math.log(5)], // 0 − ln(1 + 9 · 28/63)
    ['steady research', 4, 13, 0], // 9 in the 63 days before is 4 per 28 days
    ['no research', 0, 0, 0],
  ])('research_trend, %s: r28 = %d, r91 = %d → %d', (_, r28, r91, trend) => {
    const signals = intentSignals({ ...emptyWindow(), research28: r28, research91: r91 }, [], S, vocabulary);
    expect(signals[F.research_trend]).toBeCloseTo(trend, 14);
  });

  it.each([
    [0, 1],
    [28, Math.exp(-1)],
    [90, Math.exp(-90 / 28)],
    [null, 0],
  ])('research_recency, latest research %j days ago → %d', (age, recency) => {
    const signals = intentSignals({ ...emptyWindow(), lastResearchAge: age }, [], S, vocabulary);
    expect(signals[F.research_recency]).toBeCloseTo(recency, 15);
  });

  it.each([
    // created days ago, closed days ago, won → open, last year, customer
    [1, null, false, [1, 1, 0]],
    [30, 0, true, [1, 1, 0]], // closed at S reads as still open, and not yet won
    [30, 1, true, [0, 1, 1]],
    [30, 1, false, [0, 1, 0]],
    [365, 300, false, [0, 1, 0]], // exactly a year before S counts
    [365.001, 300, true, [0, 0, 1]],
    [0, null, false, [0, 0, 0]], // created at S: not before S
  ])('opportunity created %d days ago, closed %j, won %s → %j', (created, closed, won, flags) => {
    const signals = intentSignals(undefined, [opportunity(created, closed, won)], S, vocabulary);
    expect([signals[F.open_opportunity], signals[F.opportunity_last_year], signals[F.customer]]).toEqual(
      flags,
    );
  });

  it('ignores opportunities that are not relevant', () => {
    const signals = intentSignals(
      undefined,
      [opportunity(30, 1, true, false), opportunity(3, null, false, false)],
      S,
      vocabulary,
    );
    expect(Array.from(signals).every((v) => v === 0)).toBe(true);
  });

  it('gives zeros without a window', () => {
    const signals = intentSignals(undefined, [], S, vocabulary);
    expect(signals).toHaveLength(FIXED_INTENT_FEATURES.length + 3);
    expect(Array.from(signals).every((v) => v === 0)).toBe(true);
  });
});

describe('the profile-fit signal', () => {
  const withFit = { sections: ['/pricing'], profileFit: true };
  const fitAt = FIXED_INTENT_FEATURES.length + 1;

  it('are the last two signals, entered as they are, only when the vocabulary has them', () => {
    expect(intentFeatureNames(withFit)).toEqual([
      ...FIXED_INTENT_FEATURES,
      'visits_28d:/pricing',
      'profile_fit',
      'profile_fit_quiet',
    ]);
    const signals = intentSignals(emptyWindow(), [], S, withFit, -1.25);
    expect(signals).toHaveLength(FIXED_INTENT_FEATURES.length + 3);
    expect([signals[fitAt], signals[fitAt + 1]]).toEqual([-1.25, -1.25]);
    const input = intentModelInput(signals, withFit);
    expect([input[fitAt], input[fitAt + 1]]).toEqual([-1.25, -1.25]);
    // Without the vocabulary's flag the same call has no such columns (versions trained before them).
    expect(intentSignals(emptyWindow(), [], S, { sections: ['/pricing'] }, -1.25)).toHaveLength(
      FIXED_INTENT_FEATURES.length + 1,
    );
  });

  it('weighs the quiet term down by the research of the last 91 days: z × e^(−r₉₁ / 3)', () => {
    const quiet = (research91: number) =>
      intentSignals({ ...emptyWindow(), research91 }, [], S, withFit, 2)[fitAt + 1] as number;
    expect(quiet(0)).toBe(2);
    expect(quiet(3)).toBeCloseTo(2 / Math.E, 12);
    expect(quiet(9)).toBeCloseTo(2 * Math.exp(-3), 12);
    // No activity at all reads as no research; no profile-fit model reads as z = 0.
    expect(intentSignals(undefined, [], S, withFit, 2)[fitAt + 1]).toBe(2);
    expect(intentSignals(undefined, [], S, withFit)[fitAt]).toBe(0);
  });
});

describe('intentModelInput', () => {
  it('takes ln(1 + count) of counts and keeps trend, recency and flags as they are', () => {
    const input = named(intentModelInput(intentSignals(window, [opportunity(10, null)], S, vocabulary)));
    expect(input.research_7d).toBeCloseTo(Math.log(3), 15);
    expect(input.research_91d).toBeCloseTo(Math.log(7), 15);
    expect(input.reach_28d).toBeCloseTo(Math.log(6.5), 15);
    expect(input.research_trend).toBeCloseTo(Math.log(45 / 17), 14);
    expect(input.research_recency).toBeCloseTo(Math.exp(-2 / 28), 15);
    expect(input.open_opportunity).toBe(1);
    expect(input.customer).toBe(0);
    expect(input['visits_28d:/pricing']).toBeCloseTo(Math.log(3), 15);
    expect(input['visits_28d:/']).toBeCloseTo(Math.log(2), 15);
  });
});
