import { ENGAGEMENT_GRADES, FIT_BANDS, type EngagementGrade, type FitBand } from '../vocabulary';
import { lift, ratio } from './modelInsightsRatios';

/**
 * Contact behaviour and contact profile fit in a backtest (docs/reports.md "Model insights"), over
 * the contacts and leads scored in the run as of the first day of M. A person converts when their
 * account opened a relevant opportunity in the window, and wins when such an opportunity was won
 * with closed_at before the window's end.
 *
 * Per engagement grade g with Pg people of whom Cg converted; P⁺, C⁺ over the people with an
 * engagement score above 0 (those who showed any engagement):
 *   share = Pg / P,  conversion = Cg / Pg,  baseline = C⁺ / P⁺,  lift = conversion / baseline
 * Per profile-fit band b, with P, C, W over every scored person (a band or none):
 *   share = Pᵦ / P,  conversion = Cᵦ / Pᵦ,  baseline = C / P,  lift = conversion / baseline
 *   win_conversion = Wᵦ / Pᵦ,  win_baseline = W / P,  win_lift = win_conversion / win_baseline
 * Zero denominators give null (modelInsightsRatios.ts).
 */
export interface PersonTally {
  grade: EngagementGrade;
  /** engagement_score > 0. */
  engaged: boolean;
  /** The person's profile fit; null when the run had no contact fit model. */
  fit: FitBand | null;
  /** Their account opened a relevant opportunity in the window. */
  converted: boolean;
  /** Their account opened one in the window that was won before the window's end. */
  won: boolean;
  people: number;
}

export interface GradeBehavior {
  people: number;
  share: number | null;
  converted: number;
  conversion: number | null;
  baseline: number | null;
  lift: number | null;
}

export interface ContactBandFit extends GradeBehavior {
  winners: number;
  win_conversion: number | null;
  win_baseline: number | null;
  win_lift: number | null;
}

interface Count {
  people: number;
  converted: number;
  winners: number;
}

const empty = (): Count => ({ people: 0, converted: 0, winners: 0 });

function add(count: Count, t: PersonTally): void {
  count.people += t.people;
  if (t.converted) count.converted += t.people;
  if (t.won) count.winners += t.people;
}

export function contactBehavior(tallies: readonly PersonTally[]): Record<EngagementGrade, GradeBehavior> {
  const counts = new Map(ENGAGEMENT_GRADES.map((grade) => [grade, empty()]));
  const all = empty();
  const engaged = empty();
  for (const t of tallies) {
    add(counts.get(t.grade) as Count, t);
    add(all, t);
    if (t.engaged) add(engaged, t);
  }
  const baseline = ratio(engaged.converted, engaged.people);
  return Object.fromEntries(
    ENGAGEMENT_GRADES.map((grade) => {
      const count = counts.get(grade) as Count;
      const conversion = ratio(count.converted, count.people);
      const row: GradeBehavior = {
        people: count.people,
        share: ratio(count.people, all.people),
        converted: count.converted,
        conversion,
        baseline,
        lift: lift(conversion, baseline),
      };
      return [grade, row];
    }),
  ) as Record<EngagementGrade, GradeBehavior>;
}

export function contactFit(tallies: readonly PersonTally[]): Record<FitBand, ContactBandFit> {
  const counts = new Map(FIT_BANDS.map((band) => [band, empty()]));
  const all = empty();
  for (const t of tallies) {
    add(all, t);
    if (t.fit !== null) add(counts.get(t.fit) as Count, t);
  }
  const baseline = ratio(all.converted, all.people);
  const winBaseline = ratio(all.winners, all.people);
  return Object.fromEntries(
    FIT_BANDS.map((band) => {
      const count = counts.get(band) as Count;
      const conversion = ratio(count.converted, count.people);
      const winConversion = ratio(count.winners, count.people);
      const row: ContactBandFit = {
        people: count.people,
        share: ratio(count.people, all.people),
        converted: count.converted,
        conversion,
        baseline,
        lift: lift(conversion, baseline),
        winners: count.winners,
        win_conversion: winConversion,
        win_baseline: winBaseline,
        win_lift: lift(winConversion, winBaseline),
      };
      return [band, row];
    }),
  ) as Record<FitBand, ContactBandFit>;
}
