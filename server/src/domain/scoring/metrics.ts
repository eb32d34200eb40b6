/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative (ties count one half), by the rank-sum (Mann–Whitney) formula
 *   AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ n₀)
 * with R₊ the sum of the positives' mid-ranks. NaN when either class is empty.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let rankSum = 0;
  let positives = 0;
  let start = 0;
  while (start < n) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1] as number] === scores[order[start] as number]) end++;
    const midRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k] as number]) {
        rankSum += midRank;
        positives++;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface GroupConversion {
  group: string;
  accounts: number;
  converted: number;
  /** converted / accounts (NaN for an empty group). */
  conversionRate: number;
  /** conversionRate / baseline. */
  lift: number;
}

/**
 * Conversion per group against the baseline (the conversion of all accounts together), in the
 * order of `groups`.
 */
export function conversionByGroup(
  groupOf: readonly string[],
  converted: ArrayLike<number>,
  groups: readonly string[],
): { baseline: number; groups: GroupConversion[] } {
  const total = groupOf.length;
  let convertedTotal = 0;
  const counts = new Map(groups.map((group) => [group, { accounts: 0, converted: 0 }]));
  groupOf.forEach((group, i) => {
    const count = counts.get(group);
    const didConvert = converted[i] ? 1 : 0;
    convertedTotal += didConvert;
    if (count) {
      count.accounts++;
      count.converted += didConvert;
    }
  });
  const baseline = total === 0 ? NaN : convertedTotal / total;
  return {
    baseline,
    groups: groups.map((group) => {
      const count = counts.get(group) ?? { accounts: 0, converted: 0 };
      const conversionRate = count.accounts === 0 ? NaN : count.converted / count.accounts;
      return { group, ...count, conversionRate, lift: conversionRate / baseline };
    }),
  };
}

/**
 * Share of all conversions that fall in the top `share` of accounts by score (top-20% capture
 * with share 0.2). Ties at the cut are taken in input order.
 */
export function topShareCapture(
  scores: ArrayLike<number>,
  converted: ArrayLike<number>,
  share: number,
): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number),
  );
  const top = Math.round(n * share);
  let all = 0;
  let captured = 0;
  order.forEach((index, position) => {
    if (!converted[index]) return;
    all++;
    if (position < top) captured++;
  });
  return all === 0 ? NaN : captured / all;
}
