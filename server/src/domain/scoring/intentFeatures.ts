import { DAY_MS, type OpportunityFact } from './opportunities';
import { engagementEvents, researchEvents, urls28, type WindowActivity } from './windowActivity';

/**
 * The intent model's signals for one account at a snapshot S, from its activity window before
 * S (windowActivity.ts) and its opportunities created before S:
 *
 *   research_7d, research_28d, research_91d   research events on configured keywords
 *   research_review_28d                       … of them on review sites (g2, trustradius)
 *   research_branded_28d                      … on branded keywords
 *   keywords_28d                              distinct configured keywords researched
 *   research_trend                            ln(1 + r₂₈) − ln(1 + r₂₈…₉₁ × 28/63): rising (> 0) or fading research
 *   research_recency                          e^(−age of the latest research / 28 days), 0 without research
 *   visits_91d                                web visits
 *   engagement_28d, engagement_91d            known engagement (opens, clicks, forms, webinars, events, replies)
 *   engaged_people_28d                        distinct people with known engagement
 *   reach_28d                                 our touches, weighted (REACH_POINTS)
 *   sales_touches_28d                         sales emails, calls and meetings
 *   open_opportunity                          1 when a relevant opportunity is open at S
 *   opportunity_last_year                     1 when a relevant opportunity was created in the year before S
 *   customer                                  1 when a relevant opportunity was won before S
 *   visits_28d:<section>                      web visits per site section (the vocabulary's sections)
 *   profile_fit                               z, the account's profile-fit log-odds, standardised
 *                                             over the accounts of the day (intentModel.ts)
 *   profile_fit_quiet                         z × e^(−r₉₁ / 3): the same where research is quiet
 *                                             (1 × z without research, 0.72 × z after one event,
 *                                             0.05 × z after nine)
 *   (the two profile signals come last, and only when the vocabulary says so: versions trained
 *   before they were added read without them)
 *
 * Counts enter the models as ln(1 + count): doubling the research moves the odds as much at 4
 * as at 40 events. The profile-fit log-odds enter as they are.
 *
 * Why the profile fit: most accounts show no buying signal on a given day, and among them the
 * ones that will open an opportunity anyway (a cycle that starts and moves fast, a referral)
 * are mostly those that suit the product — what the profile fit estimates. Without it the
 * intent model ranks every quiet account alike. The second, quiet term lets the model lean on
 * the fit where there is little research and on the research where there is much: one weight
 * for the fit over all accounts was a compromise too weak for the quiet ones (measured:
 * docs/scoring.md, "Profile fit in the intent model").
 */
export const FIXED_INTENT_FEATURES = [
  'research_7d',
  'research_28d',
  'research_91d',
  'research_review_28d',
  'research_branded_28d',
  'keywords_28d',
  'research_trend',
  'research_recency',
  'visits_91d',
  'engagement_28d',
  'engagement_91d',
  'engaged_people_28d',
  'reach_28d',
  'sales_touches_28d',
  'open_opportunity',
  'opportunity_last_year',
  'customer',
] as const;
export type FixedIntentFeature = (typeof FIXED_INTENT_FEATURES)[number];

const NOT_LOGGED: ReadonlySet<string> = new Set([
  'research_trend',
  'research_recency',
  'open_opportunity',
  'opportunity_last_year',
  'customer',
]);

/** Points per touch of our sales and marketing (reach). */
export const REACH_POINTS: Readonly<Record<string, number>> = {
  ad_impression: 0.2,
  email_sent: 0.5,
  sales_email: 1,
  sales_call: 2,
  sales_meeting: 4,
};

export const REVIEW_SOURCES = ['g2', 'trustradius'] as const;
const SECTION_COUNT = 8;

/** The site section of a URL: its first path segment ("/docs/cli?x" → "/docs"; the home page "/"). */
export function siteSection(url: string): string {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  const segment = path.split('/').find((part) => part !== '');
  return segment === undefined ? '/' : `/${segment.toLowerCase()}`;
}

/** The site sections that get a feature: the SECTION_COUNT most visited (ties by name), in name order. */
export interface IntentVocabulary {
  readonly sections: readonly string[];
  /** The profile-fit signals are the last two (PROFILE_FIT_SIGNALS); absent: no such signals. */
  readonly profileFit?: boolean;
}

export const PROFILE_FIT_SIGNALS = ['profile_fit', 'profile_fit_quiet'] as const;
/** Research events over 91 days at which the quiet term has fallen to 1/e of the fit. */
export const QUIET_RESEARCH_SCALE = 3;

/** The index of the first profile-fit signal (the second follows it), or −1 when the vocabulary has none. */
export function profileFitIndex(vocabulary: IntentVocabulary): number {
  return vocabulary.profileFit === true ? FIXED_INTENT_FEATURES.length + vocabulary.sections.length : -1;
}

export function intentVocabulary(windows: Iterable<WindowActivity | undefined>): IntentVocabulary {
  const visits = new Map<string, number>();
  for (const window of windows)
    for (const url of urls28(window)) {
      const section = siteSection(url);
      visits.set(section, (visits.get(section) ?? 0) + 1);
    }
  const sections = [...visits.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, SECTION_COUNT)
    .map(([section]) => section)
    .sort();
  return { sections };
}

export function intentFeatureNames(vocabulary: IntentVocabulary): string[] {
  return [
    ...FIXED_INTENT_FEATURES,
    ...vocabulary.sections.map((section) => `visits_28d:${section}`),
    ...(vocabulary.profileFit === true ? PROFILE_FIT_SIGNALS : []),
  ];
}

export const F = Object.fromEntries(FIXED_INTENT_FEATURES.map((name, i) => [name, i])) as Record<
  FixedIntentFeature,
  number
>;

function distinctCount<T>(values: T[]): number {
  return new Set(values).size;
}

/**
 * The raw signal values (counts, flags) of one account at snapshot S (`snapshotMs`);
 * `profileLogit` is its profile-fit log-odds, read when the vocabulary has that signal (0 when
 * there is none to read).
 */
export function intentSignals(
  window: WindowActivity | undefined,
  opportunities: readonly OpportunityFact[],
  snapshotMs: number,
  vocabulary: IntentVocabulary,
  profileLogit: number | null = null,
): Float64Array {
  const fitAt = profileFitIndex(vocabulary);
  const values = new Float64Array(
    FIXED_INTENT_FEATURES.length + vocabulary.sections.length + (fitAt >= 0 ? PROFILE_FIT_SIGNALS.length : 0),
  );
  if (fitAt >= 0) {
    const z = profileLogit ?? 0;
    values[fitAt] = z;
    values[fitAt + 1] = z * Math.exp(-(window?.research91 ?? 0) / QUIET_RESEARCH_SCALE);
  }
  if (window !== undefined) {
    values[F.research_7d] = window.research7;
    values[F.research_28d] = window.research28;
    values[F.research_91d] = window.research91;
    values[F.research_review_28d] = window.review28;
    values[F.research_branded_28d] = window.branded28;
    values[F.keywords_28d] = distinctCount(
      researchEvents(window)
        .filter((r) => r.age < 28)
        .map((r) => r.keyword),
    );
    values[F.research_trend] =
      Math.log1p(window.research28) - Math.log1p(((window.research91 - window.research28) * 28) / 63);
    values[F.research_recency] = window.lastResearchAge === null ? 0 : Math.exp(-window.lastResearchAge / 28);
    values[F.visits_91d] = window.visits91;
    values[F.engagement_28d] = window.engagement28;
    values[F.engagement_91d] = window.engagement91;
    values[F.engaged_people_28d] = distinctCount(
      engagementEvents(window)
        .filter((e) => e.age < 28)
        .map((e) => e.contactId),
    );
    values[F.reach_28d] = window.reach28;
    values[F.sales_touches_28d] = window.sales28;
    for (const url of urls28(window)) {
      const section = vocabulary.sections.indexOf(siteSection(url));
      const feature = FIXED_INTENT_FEATURES.length + section;
      if (section >= 0) values[feature] = (values[feature] as number) + 1;
    }
  }
  const yearAgoMs = snapshotMs - 365 * DAY_MS;
  for (const o of opportunities) {
    if (!o.relevant || o.createdMs >= snapshotMs) continue;
    if (o.closedMs === null || o.closedMs >= snapshotMs) values[F.open_opportunity] = 1;
    if (o.createdMs >= yearAgoMs) values[F.opportunity_last_year] = 1;
    if (o.won && o.closedMs !== null && o.closedMs < snapshotMs) values[F.customer] = 1;
  }
  return values;
}

/** The model's input: counts as ln(1 + count), the rest (flags, trend, recency, profile fit) as is. */
export function intentModelInput(signals: Float64Array, vocabulary?: IntentVocabulary): Float64Array {
  const fitAt = vocabulary === undefined ? -1 : profileFitIndex(vocabulary);
  return signals.map((value, j) =>
    (fitAt >= 0 && j >= fitAt) ||
    (j < FIXED_INTENT_FEATURES.length && NOT_LOGGED.has(FIXED_INTENT_FEATURES[j] as string))
      ? value
      : Math.log1p(value),
  );
}
