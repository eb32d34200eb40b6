import { lift, ratio } from './modelInsightsRatios';

/**
 * Signals of a backtest (docs/reports.md "Model insights"): how often accounts (or people) with one
 * value of a category had converted, from the facts before the first day of the backtest month M.
 * An account converts when it has at least one relevant opportunity created before that day; a
 * person when their account does.
 *
 * Each kind has its population: firmographic — every account of the run; technographic — the
 * accounts of the run with at least one technology; demographic — the contacts and leads scored in
 * the run. With Nₖ the population of kind k and Cₖ its converters, a signal with n members of
 * which c converted:
 *   rate = c / n,  baseline = Cₖ / Nₖ,  lift = rate / baseline
 *   category_coverage = n / Nₖ,  conversion_coverage = c / Cₖ
 * Zero denominators give null (modelInsightsRatios.ts): a kind with no converters has null lifts
 * and conversion coverages. An account (person) with no value for a category has no signal in it.
 */
export const SIGNAL_KINDS = ['firmographic', 'technographic', 'demographic'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export const SIGNAL_CATEGORIES = {
  industry: 'firmographic',
  employee_range: 'firmographic',
  revenue_range: 'firmographic',
  country: 'firmographic',
  naics: 'firmographic',
  technology: 'technographic',
  job_level: 'demographic',
  job_function: 'demographic',
  persona: 'demographic',
} as const satisfies Record<string, SignalKind>;
export type SignalCategory = keyof typeof SIGNAL_CATEGORIES;

/** A range of a number: its label and the least value it holds (up to the next range's least). */
export interface NumberRange {
  label: string;
  min: number;
}

/** Employee ranges: 1–49, 50–199, 200–999, 1000–4999, 5000+; fewer than 1 employee is no range. */
export const EMPLOYEE_RANGES: readonly NumberRange[] = [
  { label: '1–49', min: 1 },
  { label: '50–199', min: 50 },
  { label: '200–999', min: 200 },
  { label: '1000–4999', min: 1000 },
  { label: '5000+', min: 5000 },
];

/** Annual revenue ranges in the stored currency units: <10M, 10M–100M, 100M–1B, 1B+; negative is no range. */
export const REVENUE_RANGES: readonly NumberRange[] = [
  { label: '<10M', min: 0 },
  { label: '10M–100M', min: 10_000_000 },
  { label: '100M–1B', min: 100_000_000 },
  { label: '1B+', min: 1_000_000_000 },
];

/** The range holding `value`: the last whose least value is ≤ value; null below the first or for null. */
export function rangeOf(ranges: readonly NumberRange[], value: number | null): string | null {
  if (value === null || Number.isNaN(value)) return null;
  let found: string | null = null;
  for (const range of ranges) if (value >= range.min) found = range.label;
  return found;
}

/** Members of one signal: `count` accounts or people, `conversions` of them converted. */
export interface SignalTally {
  category: SignalCategory;
  signal: string;
  count: number;
  conversions: number;
}

/** A kind's population and how many of it converted. */
export interface SignalPopulation {
  population: number;
  conversions: number;
}

export interface SignalRow {
  category: SignalCategory;
  kind: SignalKind;
  signal: string;
  count: number;
  conversions: number;
  rate: number | null;
  baseline: number | null;
  lift: number | null;
  category_coverage: number | null;
  conversion_coverage: number | null;
}

/**
 * Every signal with its metrics, by kind (firmographic, technographic, demographic), then category
 * in SIGNAL_CATEGORIES order, then the most members first, then the signal's text.
 */
export function signalTable(
  tallies: readonly SignalTally[],
  populations: Record<SignalKind, SignalPopulation>,
): SignalRow[] {
  const categoryOrder = Object.keys(SIGNAL_CATEGORIES);
  const rows = tallies.map((t): SignalRow => {
    const kind = SIGNAL_CATEGORIES[t.category];
    const { population, conversions } = populations[kind];
    const rate = ratio(t.conversions, t.count);
    const baseline = ratio(conversions, population);
    return {
      category: t.category,
      kind,
      signal: t.signal,
      count: t.count,
      conversions: t.conversions,
      rate,
      baseline,
      lift: lift(rate, baseline),
      category_coverage: ratio(t.count, population),
      conversion_coverage: ratio(t.conversions, conversions),
    };
  });
  return rows.sort(
    (a, b) =>
      SIGNAL_KINDS.indexOf(a.kind) - SIGNAL_KINDS.indexOf(b.kind) ||
      categoryOrder.indexOf(a.category) - categoryOrder.indexOf(b.category) ||
      b.count - a.count ||
      (a.signal < b.signal ? -1 : a.signal > b.signal ? 1 : 0),
  );
}
