import { F, FIXED_INTENT_FEATURES, intentSignals } from './intentFeatures';
import { intentReasonText, reasonContributions, researchDetail, sourceName } from './intentReasons';
import { DAY_MS } from './opportunities';
import { emptyWindow, RECORD, UNIT, type WindowActivity } from './windowActivity';

const S = Date.UTC(2026, 10, 1);
const research = (...events: Array<[number, string, string]>) => events.map((e) => e.join(UNIT)).join(RECORD);

const window: WindowActivity = {
  ...emptyWindow(),
  research7: 2,
  research28: 4,
  research91: 6,
  review28: 2,
  branded28: 1,
  lastResearchAge: 2,
  visits91: 9,
  engagement28: 1,
  engagement91: 5,
  reach28: 5.5,
  sales28: 1,
  urlList: ['/pricing', '/pricing?x', '/'].join(RECORD),
  researchList: research(
    [2, 'bombora', 'devsecops'],
    [5, 'g2', 'signalfit'],
    [10, 'first_party', 'devsecops'],
    [20, 'trustradius', 'sast'],
    [40, 'bombora', 'sbom'],
    [70, 'bombora', 'devsecops'],
  ),
};
const vocabulary = { sections: ['/', '/pricing'] };
const detail = {
  last7: researchDetail(window, 7),
  last28: researchDetail(window, 28),
  last91: researchDetail(window, 91),
};

describe('sourceName', () => {
  it.each([
    ['first_party', 'our web site'],
    ['bombora', 'Bombora'],
    ['G2', 'G2'],
    ['trustradius', 'TrustRadius'],
    ['6sense', '6sense'],
  ])('%s → %s', (source, name) => {
    expect(sourceName(source)).toBe(name);
  });
});

describe('researchDetail', () => {
  it('counts keywords and sources in the window, most first, ties by name', () => {
    expect(detail.last7).toEqual({
      keywords: [
        { keyword: 'devsecops', count: 1 },
        { keyword: 'signalfit', count: 1 },
      ],
      sources: ['Bombora', 'G2'],
    });
    expect(detail.last28.keywords).toEqual([
      { keyword: 'devsecops', count: 2 },
      { keyword: 'sast', count: 1 },
      { keyword: 'signalfit', count: 1 },
    ]);
    expect(detail.last28.sources).toEqual(['Bombora', 'our web site', 'G2', 'TrustRadius']);
    expect(detail.last91.keywords[0]).toEqual({ keyword: 'devsecops', count: 3 });
    expect(detail.last91.sources).toEqual(['Bombora', 'our web site', 'G2', 'TrustRadius']);
  });

  it('is empty without research', () => {
    expect(researchDetail(undefined, 28)).toEqual({ keywords: [], sources: [] });
  });
});

describe('intentReasonText', () => {
  const opportunities = [
    { createdMs: S - 30 * DAY_MS, closedMs: null, won: false, relevant: true },
    { createdMs: S - 400 * DAY_MS, closedMs: S - 300 * DAY_MS, won: true, relevant: true },
  ];
  const signals = intentSignals(window, opportunities, S, vocabulary);
  /** The text of a reason that raises the score (↑) or, with `contribution` < 0, lowers it (↓). */
  const text = (feature: number, values = signals, contribution = 1, typical?: Float64Array) =>
    intentReasonText(feature, values, vocabulary, detail, contribution, typical);
  const zero = intentSignals(undefined, [], S, vocabulary);

  it('says what the account researched, how often and where', () => {
    expect(text(F.research_7d)).toBe(
      "Researched 'devsecops' and 1 other keyword 2 times in the last 7 days (Bombora, G2)",
    );
    expect(text(F.research_28d)).toBe(
      "Researched 'devsecops' and 2 other keywords 4 times in the last 28 days (Bombora, our web site, G2)",
    );
    expect(text(F.research_91d)).toBe(
      "Researched 'devsecops' and 3 other keywords 6 times in the last 3 months (Bombora, our web site, G2)",
    );
    expect(text(F.research_28d, zero, -1)).toBe('No research on your keywords in the last 28 days');
  });

  it.each([
    [
      'research_review_28d',
      'Compared vendors on review sites 2 times in the last 28 days',
      'No research on review sites in the last 28 days',
    ],
    [
      'research_branded_28d',
      'Researched your brand 1 time in the last 28 days',
      'No research on your brand in the last 28 days',
    ],
    [
      'keywords_28d',
      'Researched 3 of your keywords in the last 28 days',
      'Researched 0 of your keywords in the last 28 days',
    ],
    [
      'research_trend',
      'Research is rising: more in the last 28 days than the two months before',
      'Research is not rising',
    ],
    ['research_recency', 'Last research 2 days ago', 'No research on your keywords in the last 3 months'],
    [
      'visits_91d',
      '9 visits to your web site in the last 3 months',
      '0 visits to your web site in the last 3 months',
    ],
    [
      'engagement_28d',
      '1 engagement by known people in the last 28 days',
      '0 engagements by known people in the last 28 days',
    ],
    [
      'reach_28d',
      'Touched by your sales and marketing in the last 28 days',
      'Not touched by your sales and marketing in the last 28 days',
    ],
    [
      'sales_touches_28d',
      '1 sales email, call or meeting in the last 28 days',
      '0 sales emails, calls and meetings in the last 28 days',
    ],
    ['open_opportunity', 'Has an open opportunity', 'No open opportunity'],
    [
      'opportunity_last_year',
      'Opened an opportunity in the last 12 months',
      'No opportunity in the last 12 months',
    ],
    ['customer', 'Already a customer', 'Not a customer yet'],
  ] as const)('%s: ↑ with the signal, ↓ without it', (name, withSignal, without) => {
    const feature = FIXED_INTENT_FEATURES.indexOf(name);
    expect(text(feature)).toBe(withSignal);
    expect(text(feature, zero, -1)).toBe(without);
  });

  it('names the site section, and the home page in words', () => {
    const first = FIXED_INTENT_FEATURES.length;
    expect(text(first)).toBe('1 visit to the home page in the last 28 days');
    expect(text(first + 1)).toBe('2 visits to /pricing in the last 28 days');
  });

  it('reads the recency back in whole days', () => {
    const values = intentSignals({ ...emptyWindow(), lastResearchAge: 17 }, [], S, vocabulary);
    expect(text(F.research_recency, values)).toBe('Last research 17 days ago');
    const today = intentSignals({ ...emptyWindow(), lastResearchAge: 0 }, [], S, vocabulary);
    expect(text(F.research_recency, today)).toBe('Last research 0 days ago');
  });

  describe('a reason whose arrow and words agree', () => {
    // Typical figures of converting accounts in training (IntentModel.typicalOfConverters).
    const typical = new Float64Array(signals.length);
    typical[F.research_91d] = 60;
    typical[F.research_28d] = 3;
    typical[F.visits_91d] = 4;
    typical[F.sales_touches_28d] = 0;
    typical[F.research_recency] = Math.exp(-1 / 28); // last research a day before
    typical[F.research_trend] = 1;
    typical[FIXED_INTENT_FEATURES.length + 1] = 5; // visits to /pricing

    it('says a count that lowers the score is below (or above) what accounts that bought show', () => {
      expect(text(F.research_91d, signals, -0.4, typical)).toBe(
        "Researched 'devsecops' and 3 other keywords 6 times in the last 3 months (Bombora, our web site, G2) — fewer than the 60 typical of accounts that bought",
      );
      expect(text(F.research_28d, signals, -0.4, typical)).toBe(
        "Researched 'devsecops' and 2 other keywords 4 times in the last 28 days (Bombora, our web site, G2) — more than the 3 typical of accounts that bought",
      );
      expect(text(F.sales_touches_28d, signals, -0.2, typical)).toBe(
        '1 sales email, call or meeting in the last 28 days — more than the 0 typical of accounts that bought',
      );
      expect(text(FIXED_INTENT_FEATURES.length + 1, signals, -0.1, typical)).toBe(
        '2 visits to /pricing in the last 28 days — fewer than the 5 typical of accounts that bought',
      );
      expect(text(F.research_recency, signals, -0.3, typical)).toBe(
        'Last research 2 days ago — longer ago than the 1 day typical of accounts that bought',
      );
    });

    it('leaves out a count that lowers the score at the typical figure, and an absence that raises it', () => {
      expect(
        text(F.visits_91d, intentSignals({ ...window, visits91: 4 }, [], S, vocabulary), -0.3, typical),
      ).toBeNull();
      for (const name of FIXED_INTENT_FEATURES.filter(
        (n) => !['reach_28d', 'open_opportunity', 'opportunity_last_year', 'customer'].includes(n),
      ))
        expect([name, text(F[name], zero, 0.5, typical)]).toEqual([name, null]);
      // "Research is not rising" never comes with ↑ (the panel of issue 21).
      expect(text(F.research_trend, zero, 0.2)).toBeNull();
      expect(text(F.research_trend, zero, -0.2)).toBe('Research is not rising');
    });

    it('says rising research that lowers the score rises less steeply than accounts that bought', () => {
      expect(text(F.research_trend, signals, -0.2, typical)).toBe(
        'Research is rising: more in the last 28 days than the two months before, less steeply than accounts that bought',
      );
    });

    it('says a count lowers the score when the version keeps no typical figure', () => {
      expect(text(F.visits_91d, signals, -0.3)).toBe(
        '9 visits to your web site in the last 3 months — counts against the score',
      );
    });

    it('says the profile is like (↑) or less like (↓) the buyers, whatever its value', () => {
      const withFit = { ...vocabulary, profileFit: true };
      const fitAt = FIXED_INTENT_FEATURES.length + vocabulary.sections.length;
      for (const logit of [-2.5, 0, 1.7]) {
        const values = intentSignals(window, [], S, withFit, logit);
        expect(values[fitAt]).toBe(logit);
        expect(intentReasonText(fitAt, values, withFit, detail, 0.4, typical)).toBe(
          'Its industry, size and technologies are like those of the accounts that bought',
        );
        expect(intentReasonText(fitAt, values, withFit, detail, -0.4, typical)).toBe(
          'Its industry, size and technologies are less like those of the accounts that bought',
        );
      }
    });

    it('counts the two profile-fit terms as one reason', () => {
      const withFit = { ...vocabulary, profileFit: true };
      const fitAt = FIXED_INTENT_FEATURES.length + vocabulary.sections.length;
      const contributions = new Float64Array(fitAt + 2);
      contributions[0] = 0.3;
      contributions[fitAt] = 0.5;
      contributions[fitAt + 1] = -0.75;
      const merged = reasonContributions(contributions, withFit);
      expect(Array.from(merged)).toEqual([0.3, ...new Array(fitAt - 1).fill(0), -0.25, 0]);
      expect(contributions[fitAt]).toBe(0.5); // the model's own figures stay as they were
      expect(reasonContributions(contributions, vocabulary)).toBe(contributions);
    });

    it('keeps the words of facts that read neither way, in both directions', () => {
      for (const contribution of [0.5, -0.5]) {
        expect(text(F.customer, signals, contribution, typical)).toBe('Already a customer');
        expect(text(F.customer, zero, contribution, typical)).toBe('Not a customer yet');
        expect(text(F.open_opportunity, signals, contribution, typical)).toBe('Has an open opportunity');
        expect(text(F.reach_28d, zero, contribution, typical)).toBe(
          'Not touched by your sales and marketing in the last 28 days',
        );
      }
    });
  });
});
