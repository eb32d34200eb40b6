/**
 * Activities by source (docs/reports.md): every activity falls in at most one **kind** — its type,
 * split by source for keyword research and ads and by the presence of a person for web visits.
 * The store aggregates activities to one bit set of kinds per account and timeframe (bit k set when
 * the account has at least one activity of kind k there), so a report reads one row per account
 * instead of one per activity; the panels, metrics and engagement states are unions of kinds.
 */

export const RESEARCH_KIND_SOURCES = ['first_party', 'bombora', 'g2', 'trustradius'] as const;
/** Ad sources: our own ad platform, LinkedIn and external DSPs; any other is `other`. */
export const AD_SOURCES = ['ads', 'linkedin', 'dsp'] as const;

/**
 * How an activity is classified. `source: 'other'` matches any source outside the listed ones
 * (null included); `person` whether the activity names a contact; `configuredKeyword` whether its
 * keyword is one of the configured keywords. Rules are tried in order; the first that matches wins.
 */
export interface ActivityKindRule {
  kind: string;
  type: string;
  source?: string;
  otherThan?: readonly string[];
  person?: boolean;
  configuredKeyword?: boolean;
}

const SIMPLE_TYPES = [
  'email_sent',
  'email_open',
  'email_click',
  'form_fill',
  'webinar',
  'trade_show',
  'field_event',
  'sales_email',
  'sales_call',
  'sales_meeting',
  'sales_reply',
] as const;

export const ACTIVITY_KIND_RULES: readonly ActivityKindRule[] = [
  ...RESEARCH_KIND_SOURCES.map((source) => ({
    kind: `keyword_research.${source}`,
    type: 'keyword_research',
    source,
    configuredKeyword: true,
  })),
  {
    kind: 'keyword_research.other',
    type: 'keyword_research',
    otherThan: RESEARCH_KIND_SOURCES,
    configuredKeyword: true,
  },
  { kind: 'web_visit.anonymous', type: 'web_visit', person: false },
  { kind: 'web_visit.known', type: 'web_visit', person: true },
  ...(['ad_impression', 'ad_click'] as const).flatMap((type) => [
    ...AD_SOURCES.map((source) => ({ kind: `${type}.${source}`, type, source })),
    { kind: `${type}.other`, type, otherThan: AD_SOURCES },
  ]),
  ...SIMPLE_TYPES.map((type) => ({ kind: type, type })),
];

/** Bit index of each kind (at most 31: the store aggregates them in one integer). */
export const KIND_BITS: ReadonlyMap<string, number> = new Map(
  ACTIVITY_KIND_RULES.map((rule, index) => [rule.kind, index]),
);
if (ACTIVITY_KIND_RULES.length > 31) throw new Error('activity kinds do not fit in one integer');

/** The kind of one activity, or null when it counts in no panel (research on other keywords). */
export function activityKindOf(activity: {
  type: string;
  source: string | null;
  person: boolean;
  configuredKeyword: boolean;
}): string | null {
  for (const rule of ACTIVITY_KIND_RULES) {
    if (rule.type !== activity.type) continue;
    if (rule.source !== undefined && activity.source !== rule.source) continue;
    if (rule.otherThan && activity.source !== null && rule.otherThan.includes(activity.source)) continue;
    if (rule.person !== undefined && rule.person !== activity.person) continue;
    if (rule.configuredKeyword !== undefined && rule.configuredKeyword !== activity.configuredKeyword)
      continue;
    return rule.kind;
  }
  return null;
}

/** The bit set of some kinds. */
export function maskOf(kinds: readonly string[]): number {
  let mask = 0;
  for (const kind of kinds) {
    const bit = KIND_BITS.get(kind);
    if (bit === undefined) throw new Error(`unknown activity kind ${kind}`);
    mask |= 1 << bit;
  }
  return mask;
}

/** All kinds whose name starts with `prefix` (a type: every source of it). */
export function kindsOf(prefix: string): string[] {
  return ACTIVITY_KIND_RULES.map((rule) => rule.kind).filter(
    (kind) => kind === prefix || kind.startsWith(`${prefix}.`),
  );
}

export const PANELS = [
  'intent',
  'marketing_reached',
  'marketing_engaged',
  'sales_reached',
  'sales_engaged',
] as const;
export type Panel = (typeof PANELS)[number];

/** One metric of a panel: the accounts with at least one activity of any of `kinds`. */
export interface ActivityMetric {
  panel: Panel | 'reached' | 'engaged';
  metric: string;
  source?: string;
  kinds: string[];
}

function bySource(panel: Panel, type: string, sources: readonly string[]): ActivityMetric[] {
  return [...sources, 'other'].map((source) => ({
    panel,
    metric: type,
    source,
    kinds: [`${type}.${source}`],
  }));
}

function single(panel: Panel, metric: string, kind = metric): ActivityMetric {
  return { panel, metric, kinds: [kind] };
}

const PANEL_METRICS: Record<Panel, ActivityMetric[]> = {
  intent: bySource('intent', 'keyword_research', RESEARCH_KIND_SOURCES),
  marketing_reached: [
    single('marketing_reached', 'email_sent'),
    ...bySource('marketing_reached', 'ad_impression', AD_SOURCES),
  ],
  marketing_engaged: [
    single('marketing_engaged', 'email_open'),
    single('marketing_engaged', 'email_click'),
    single('marketing_engaged', 'form_fill'),
    ...bySource('marketing_engaged', 'ad_click', AD_SOURCES),
    single('marketing_engaged', 'web_visit_anonymous', 'web_visit.anonymous'),
    single('marketing_engaged', 'web_visit_known', 'web_visit.known'),
    single('marketing_engaged', 'webinar'),
    single('marketing_engaged', 'trade_show'),
    single('marketing_engaged', 'field_event'),
  ],
  sales_reached: [
    single('sales_reached', 'sales_email'),
    single('sales_reached', 'sales_call'),
    single('sales_reached', 'sales_meeting'),
  ],
  sales_engaged: [single('sales_engaged', 'sales_reply')],
};

function withTotal(panel: ActivityMetric['panel'], metrics: ActivityMetric[]): ActivityMetric[] {
  return [{ panel, metric: 'total', kinds: metrics.flatMap((m) => m.kinds) }, ...metrics];
}

/**
 * The metrics of the team view (the panels), each panel led by its `total`: the accounts
 * with any activity of the panel. A `source: 'other'` row gathers sources outside the known ones;
 * reports list it only when it has accounts.
 */
export const TEAM_VIEW_METRICS: readonly ActivityMetric[] = PANELS.flatMap((panel) =>
  withTotal(panel, PANEL_METRICS[panel]),
);

/**
 * The activity-type view: intent, reached (marketing and sales) and engaged (marketing and sales),
 * the same metrics under three panels with their own totals.
 */
export const TYPE_VIEW_METRICS: readonly ActivityMetric[] = [
  ...withTotal('intent', PANEL_METRICS.intent),
  ...withTotal(
    'reached',
    [...PANEL_METRICS.marketing_reached, ...PANEL_METRICS.sales_reached].map((m) => ({
      ...m,
      panel: 'reached' as const,
    })),
  ),
  ...withTotal(
    'engaged',
    [...PANEL_METRICS.marketing_engaged, ...PANEL_METRICS.sales_engaged].map((m) => ({
      ...m,
      panel: 'engaged' as const,
    })),
  ),
];
