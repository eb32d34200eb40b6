import { FIXED_INTENT_FEATURES, profileFitIndex, type IntentVocabulary } from './intentFeatures';
import { plural } from './reasons';
import { researchEvents, type WindowActivity } from './windowActivity';

/** Names of research sources as people know them. */
const SOURCE_NAMES: Readonly<Record<string, string>> = {
  first_party: 'our web site',
  bombora: 'Bombora',
  g2: 'G2',
  trustradius: 'TrustRadius',
};

export function sourceName(source: string): string {
  return SOURCE_NAMES[source.toLowerCase()] ?? source;
}

/** What an account researched in the `windowDays` before T: keywords by count, and sources. */
export interface ResearchDetail {
  keywords: Array<{ keyword: string; count: number }>;
  sources: string[];
}

export function researchDetail(window: WindowActivity | undefined, windowDays: number): ResearchDetail {
  const keywords = new Map<string, number>();
  const sources = new Map<string, number>();
  for (const event of researchEvents(window)) {
    if (event.age >= windowDays) continue;
    keywords.set(event.keyword, (keywords.get(event.keyword) ?? 0) + 1);
    sources.set(event.source, (sources.get(event.source) ?? 0) + 1);
  }
  const byCount = (map: Map<string, number>) =>
    [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return {
    keywords: byCount(keywords).map(([keyword, count]) => ({ keyword, count })),
    sources: byCount(sources).map(([source]) => sourceName(source)),
  };
}

function researchText(count: number, window: string, detail: ResearchDetail): string {
  if (count === 0) return `No research on your keywords in the last ${window}`;
  const [top, ...others] = detail.keywords;
  const what =
    top === undefined
      ? 'your keywords'
      : `'${top.keyword}'${others.length > 0 ? ` and ${plural(others.length, 'other keyword')}` : ''}`;
  const where = detail.sources.length > 0 ? ` (${detail.sources.slice(0, 3).join(', ')})` : '';
  return `Researched ${what} ${plural(count, 'time')} in the last ${window}${where}`;
}

/**
 * The contributions as reasons read them: the two profile-fit terms (intentFeatures.ts) are one
 * fact, so their contributions count as one reason, on the first.
 */
export function reasonContributions(contributions: Float64Array, vocabulary: IntentVocabulary): Float64Array {
  const fitAt = profileFitIndex(vocabulary);
  if (fitAt < 0) return contributions;
  const merged = Float64Array.from(contributions);
  merged[fitAt] = (merged[fitAt] as number) + (merged[fitAt + 1] as number);
  merged[fitAt + 1] = 0;
  return merged;
}

/** The profile-fit signal's words, by its arrow. */
export const PROFILE_FIT_FOR =
  'Its industry, size and technologies are like those of the accounts that bought';
export const PROFILE_FIT_AGAINST =
  'Its industry, size and technologies are less like those of the accounts that bought';

/**
 * Signals whose words state a fact that reads neither for nor against buying: their text is the
 * same whichever way they count.
 */
const NEUTRAL_SIGNALS: ReadonlySet<string> = new Set([
  'reach_28d',
  'open_opportunity',
  'opportunity_last_year',
  'customer',
]);

/**
 * The plain-words text of intent feature `feature` with the account's signal values, worded so
 * that it agrees with the reason's arrow, the sign of `contribution` (↑ raises the score, ↓
 * lowers it); null when no honest words agree with it (the reason is then left out).
 *
 * A count (research, visits, engagement, people, touches) reads as a buying signal when above 0
 * and as its absence at 0. So:
 *   ↑ and a count above 0, ↓ and a count of 0: the fact as it is;
 *   ↓ and a count v above 0: the fact and why it counts against — v is below (or above) the
 *     typical figure t of converting accounts in training (`typical`, IntentModel.typicalOfConverters):
 *     "24 … in the last 3 months — fewer than the 60 typical of accounts that bought"; without t
 *     (a version trained before it was kept): "— counts against the score"; v = t: null;
 *   ↑ and a count of 0: null (an absence does not read as a reason to buy).
 * Rising research and recency read the same way (rising or recent: a signal). Facts that read
 * neither way (customer, open opportunity, opportunity in the last year, touched by us) keep
 * their words whichever way they count. The profile fit reads by its arrow: like or less like
 * the profiles of the accounts that bought.
 */
export function intentReasonText(
  feature: number,
  signals: Float64Array,
  vocabulary: IntentVocabulary,
  detail: { last7: ResearchDetail; last28: ResearchDetail; last91: ResearchDetail },
  contribution = 1,
  typical?: ArrayLike<number>,
): string | null {
  const fitAt = profileFitIndex(vocabulary);
  if (fitAt >= 0 && feature >= fitAt) return contribution >= 0 ? PROFILE_FIT_FOR : PROFILE_FIT_AGAINST;
  const name = FIXED_INTENT_FEATURES[feature] as string | undefined;
  const fact = factText(feature, signals, vocabulary, detail);
  if (name !== undefined && NEUTRAL_SIGNALS.has(name)) return fact;
  const value = signals[feature] as number;
  const isSignal = value > 0;
  if (contribution >= 0) return isSignal ? fact : null;
  if (!isSignal) return fact;
  const t = typical?.[feature];
  if (t === undefined || !Number.isFinite(t)) return `${fact} — counts against the score`;
  if (name === 'research_trend') return value < t ? `${fact}, less steeply than accounts that bought` : null;
  if (name === 'research_recency') {
    const days = Math.round(-28 * Math.log(t));
    return value < t
      ? `${fact} — longer ago than the ${plural(days, 'day')} typical of accounts that bought`
      : null;
  }
  const typicalCount = Math.round(t);
  if (value === typicalCount) return null;
  return `${fact} — ${value < typicalCount ? 'fewer' : 'more'} than the ${typicalCount} typical of accounts that bought`;
}

/** The fact a signal states, in plain words, whichever way it counts. */
function factText(
  feature: number,
  signals: Float64Array,
  vocabulary: IntentVocabulary,
  detail: { last7: ResearchDetail; last28: ResearchDetail; last91: ResearchDetail },
): string {
  const value = signals[feature] as number;
  const name = FIXED_INTENT_FEATURES[feature];
  const recent = (days: number) => `${days} days`;
  switch (name) {
    case 'research_7d':
      return researchText(value, recent(7), detail.last7);
    case 'research_28d':
      return researchText(value, recent(28), detail.last28);
    case 'research_91d':
      return researchText(value, '3 months', detail.last91);
    case 'research_review_28d':
      return value > 0
        ? `Compared vendors on review sites ${plural(value, 'time')} in the last 28 days`
        : 'No research on review sites in the last 28 days';
    case 'research_branded_28d':
      return value > 0
        ? `Researched your brand ${plural(value, 'time')} in the last 28 days`
        : 'No research on your brand in the last 28 days';
    case 'keywords_28d':
      return `Researched ${plural(value, 'of your keywords', 'of your keywords')} in the last 28 days`;
    case 'research_trend':
      return value > 0
        ? 'Research is rising: more in the last 28 days than the two months before'
        : 'Research is not rising';
    case 'research_recency':
      return value > 0
        ? `Last research ${plural(Math.round(-28 * Math.log(value)), 'day')} ago`
        : 'No research on your keywords in the last 3 months';
    case 'visits_91d':
      return `${plural(value, 'visit')} to your web site in the last 3 months`;
    case 'engagement_28d':
      return `${plural(value, 'engagement')} by known people in the last 28 days`;
    case 'engagement_91d':
      return `${plural(value, 'engagement')} by known people in the last 3 months`;
    case 'engaged_people_28d':
      return `${plural(value, 'person', 'people')} engaged in the last 28 days`;
    case 'reach_28d':
      return value > 0
        ? 'Touched by your sales and marketing in the last 28 days'
        : 'Not touched by your sales and marketing in the last 28 days';
    case 'sales_touches_28d':
      return `${plural(value, 'sales email, call or meeting', 'sales emails, calls and meetings')} in the last 28 days`;
    case 'open_opportunity':
      return value > 0 ? 'Has an open opportunity' : 'No open opportunity';
    case 'opportunity_last_year':
      return value > 0
        ? 'Opened an opportunity in the last 12 months'
        : 'No opportunity in the last 12 months';
    case 'customer':
      return value > 0 ? 'Already a customer' : 'Not a customer yet';
    default: {
      const section = vocabulary.sections[feature - FIXED_INTENT_FEATURES.length] ?? '?';
      return `${plural(value, 'visit')} to ${section === '/' ? 'the home page' : section} in the last 28 days`;
    }
  }
}
