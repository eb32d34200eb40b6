/**
 * One-hot encoding of categorical values: the `limit` most frequent values seen in training
 * (ties by name) each get a 0/1 column; rarer values and missing ones get none.
 */
export function topValues(values: Iterable<string | null>, limit: number, minimumCount = 2): string[] {
  const counts = new Map<string, number>();
  for (const value of values)
    if (value !== null && value !== '') counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, count]) => count >= minimumCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([value]) => value);
}

/** Index of the first bound that `value` is below, i.e. its bin among bounds.length + 1 bins. */
export function binIndex(value: number, upperBounds: readonly number[]): number {
  let bin = 0;
  while (bin < upperBounds.length && value >= (upperBounds[bin] as number)) bin++;
  return bin;
}
