/**
 * A deterministic draw in [0, 1) for an example (integer hash of its key): the same data always
 * gives the same training sample, so runs are reproducible and the leakage test can compare
 * them exactly.
 */
export function uniformOf(a: number, b = 0): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}

/**
 * Keep rates that cap a training sample: positives up to `maxPositives`, negatives up to
 * `negativesPerPositive` per kept positive. A kept example weighs 1 / its rate, so weighted
 * counts stay those of the full data.
 */
export function keepRates(
  positives: number,
  negatives: number,
  maxPositives: number,
  negativesPerPositive: number,
): { positive: number; negative: number } {
  const positive = positives === 0 ? 1 : Math.min(1, maxPositives / positives);
  const keptPositives = Math.max(1, positives * positive);
  const negative = negatives === 0 ? 1 : Math.min(1, (keptPositives * negativesPerPositive) / negatives);
  return { positive, negative };
}
