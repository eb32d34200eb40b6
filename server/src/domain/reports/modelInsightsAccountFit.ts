import { FIT_BANDS, type FitBand } from '../vocabulary';
import type { AccountTally } from './modelInsightsAccounts';
import { lift, ratio } from './modelInsightsRatios';

/**
 * Account profile fit in a backtest (docs/reports.md "Model insights"): per band b of the run as
 * of the first day of M, with Nᵦ accounts, Cᵦ converters (a relevant opportunity opened in the
 * window) and Wᵦ winners (such an opportunity won with closed_at before the window's end); N, C, W
 * over every account of the run (a band or none):
 *   share = Nᵦ / N
 *   conversion = Cᵦ / Nᵦ,      baseline = C / N,      lift = conversion / baseline
 *   win_conversion = Wᵦ / Nᵦ,  win_baseline = W / N,  win_lift = win_conversion / win_baseline
 * Zero denominators give null (modelInsightsRatios.ts).
 */
export interface BandFit {
  accounts: number;
  share: number | null;
  converters: number;
  conversion: number | null;
  baseline: number | null;
  lift: number | null;
  winners: number;
  win_conversion: number | null;
  win_baseline: number | null;
  win_lift: number | null;
}

export function accountFit(tallies: readonly AccountTally[]): Record<FitBand, BandFit> {
  const counts = new Map(FIT_BANDS.map((band) => [band, { accounts: 0, converters: 0, winners: 0 }]));
  const all = { accounts: 0, converters: 0, winners: 0 };
  for (const t of tallies) {
    for (const count of t.fit === null ? [all] : [all, counts.get(t.fit)]) {
      if (!count) continue;
      count.accounts += t.accounts;
      if (t.converted) count.converters += t.accounts;
      if (t.won) count.winners += t.accounts;
    }
  }
  const baseline = ratio(all.converters, all.accounts);
  const winBaseline = ratio(all.winners, all.accounts);
  return Object.fromEntries(
    FIT_BANDS.map((band) => {
      const count = counts.get(band) as typeof all;
      const conversion = ratio(count.converters, count.accounts);
      const winConversion = ratio(count.winners, count.accounts);
      const row: BandFit = {
        accounts: count.accounts,
        share: ratio(count.accounts, all.accounts),
        converters: count.converters,
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
  ) as Record<FitBand, BandFit>;
}
