import type { TrainingSet } from './matrix';

/**
 * Frequency-based naive Bayes over binned features.
 *
 * Each feature j is cut into bins at the distinct quintiles of its training values (a feature
 * with few values, such as a 0/1 flag, keeps one bin per value). With c_y(j, b) the weighted
 * number of examples of label y whose feature j falls in bin b, N_y their total, B_j the
 * number of bins and α = 1 (Laplace smoothing):
 *
 *   log-odds(x) = ln((N₁ + α) / (N₀ + α)) + Σ_j [ ln((c₁(j, b_j) + α) / (N₁ + α B_j)) − ln((c₀(j, b_j) + α) / (N₀ + α B_j)) ]
 *
 * (the prior smoothed too, so that a training part without positives or negatives stays finite;
 * the calibration refits the constant anyway).
 * Each term of the sum is the feature's signed contribution. It assumes the features are
 * independent given the label, so correlated signals count twice: its ranking is often good,
 * its probabilities are not (the model selection recalibrates whichever model wins).
 */
export interface NaiveBayesModel {
  readonly kind: 'naive_bayes';
  readonly priorLogOdds: number;
  /** Per feature, increasing bin upper edges: value v is in the first bin whose edge ≥ v, else the last. */
  readonly edges: Float64Array[];
  /** Per feature, per bin: the log likelihood ratio. */
  readonly logRatios: Float64Array[];
}

const SMOOTHING = 1;
const QUANTILES = [0.2, 0.4, 0.6, 0.8];

function binEdges(values: Float64Array): Float64Array {
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (const q of QUANTILES) {
    const edge = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
  }
  return Float64Array.from(edges);
}

export function binOf(edges: Float64Array, value: number): number {
  let bin = 0;
  while (bin < edges.length && value > (edges[bin] as number)) bin++;
  return bin;
}

export function fitNaiveBayes(set: TrainingSet): NaiveBayesModel {
  const d = set.columns;
  const edges: Float64Array[] = [];
  const column = new Float64Array(set.rows);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < set.rows; i++) column[i] = set.x[i * d + j] as number;
    edges.push(binEdges(column));
  }
  const counts = edges.map((e) => [new Float64Array(e.length + 1), new Float64Array(e.length + 1)] as const);
  const totals = [0, 0];
  for (let i = 0; i < set.rows; i++) {
    const label = set.y[i] as 0 | 1;
    const w = set.weight[i] as number;
    totals[label] = (totals[label] as number) + w;
    for (let j = 0; j < d; j++) {
      const bins = (counts[j] as readonly [Float64Array, Float64Array])[label];
      const bin = binOf(edges[j] as Float64Array, set.x[i * d + j] as number);
      bins[bin] = (bins[bin] as number) + w;
    }
  }
  const [negatives, positives] = totals as [number, number];
  const logRatios = counts.map(([zero, one]) => {
    const binCount = zero.length;
    return zero.map(
      (c0, bin) =>
        Math.log(((one[bin] as number) + SMOOTHING) / (positives + SMOOTHING * binCount)) -
        Math.log((c0 + SMOOTHING) / (negatives + SMOOTHING * binCount)),
    );
  });
  return {
    kind: 'naive_bayes',
    priorLogOdds: Math.log((positives + SMOOTHING) / (negatives + SMOOTHING)),
    edges,
    logRatios,
  };
}

export function naiveBayesContributions(model: NaiveBayesModel, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(model.edges.length);
  for (let j = 0; j < out.length; j++) {
    const ratios = model.logRatios[j] as Float64Array;
    out[j] = ratios[binOf(model.edges[j] as Float64Array, x[j] as number)] as number;
  }
  return out;
}
