import { kindsOf, maskOf } from './activityKinds';

/**
 * Engagement states (docs/reports.md), not mutually exclusive, listed from lowest to highest: the
 * order decides whether an account's engagement increased (its highest state in the analysis
 * timeframe is above its highest in the baseline).
 */
export const ENGAGEMENT_STATES = [
  'no_engagement',
  'intent',
  'anonymous_web_visit',
  'known_engagement',
  'opportunity_opened',
  'opportunity_won',
] as const;
export type EngagementState = (typeof ENGAGEMENT_STATES)[number];

/** Research on a configured keyword, from any source. */
const INTENT = maskOf(kindsOf('keyword_research'));
const ANONYMOUS_WEB = maskOf(['web_visit.anonymous']);
/** The known-engagement activities (by nature known: they come from MAP, CRM or ad clicks), and web visits by a person. */
const KNOWN = maskOf([
  'email_open',
  'email_click',
  'form_fill',
  'webinar',
  'trade_show',
  'field_event',
  'sales_reply',
  ...kindsOf('ad_click'),
  'web_visit.known',
]);

/** The states of one account in one timeframe, from its activity kinds and its opportunities there. */
export function engagementStates(mask: number, opened: boolean, won: boolean): EngagementState[] {
  const states: EngagementState[] = [];
  const intent = (mask & INTENT) !== 0;
  const anonymous = (mask & ANONYMOUS_WEB) !== 0;
  const known = (mask & KNOWN) !== 0;
  if (!intent && !anonymous && !known) states.push('no_engagement');
  if (intent) states.push('intent');
  if (anonymous) states.push('anonymous_web_visit');
  if (known) states.push('known_engagement');
  if (opened) states.push('opportunity_opened');
  if (won) states.push('opportunity_won');
  return states;
}

/** The rank of the highest state (index in ENGAGEMENT_STATES). */
export function highestEngagement(states: readonly EngagementState[]): number {
  return Math.max(...states.map((state) => ENGAGEMENT_STATES.indexOf(state)));
}
