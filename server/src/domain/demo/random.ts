/**
 * Seeded pseudo-random numbers for the demo market.
 *
 * Generator: SFC32 (Chris Doty-Humphrey's "small fast counter", from PractRand), 128 bits of
 * state, period ≥ 2^32, passes PractRand and BigCrush; a few integer operations per draw, so it
 * is fast in JavaScript. Each stream is seeded from (market seed, account index, stream name)
 * through the MurmurHash3 finaliser, so account k draws the same numbers whatever the number of
 * accounts, and the parts of one account (firmographics, people, activities…) draw from
 * independent streams: changing how activities are drawn does not move the firmographics.
 *
 * Only integer arithmetic and `Math.log/exp/sqrt/cos/pow` are used; V8 computes those the same
 * way on every platform, which makes the output byte-identical run to run.
 */

const TWO_POW_32 = 4294967296;

/** MurmurHash3's 32-bit finaliser: a bijective mix with full avalanche. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a hash of a short ASCII label (the stream name). */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The two 32-bit halves of a safe integer (negative seeds wrap, as in two's complement). */
export function splitSeed(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
  const low = seed % TWO_POW_32;
  const high = Math.floor(seed / TWO_POW_32);
  return [low >>> 0, high >>> 0];
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Second value of the last Box–Muller pair, or NaN. */
  private spareNormal = Number.NaN;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    // Warm-up: the first outputs of a freshly seeded SFC32 are still correlated with the seed.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The stream `label` of item `index` of the market `seed`. */
  static forStream(seed: number, index: number, label: string): Random {
    const [low, high] = splitSeed(seed);
    const indexLow = index >>> 0;
    const indexHigh = Math.floor(index / TWO_POW_32) >>> 0;
    const labelHash = hashLabel(label);
    return new Random(
      mix32(low ^ mix32(labelHash)),
      mix32(high ^ mix32(indexLow + 0x9e3779b9)),
      mix32(indexLow ^ mix32(labelHash + 0x7f4a7c15)),
      mix32(indexHigh ^ mix32(low + high + 0x6a09e667)),
    );
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Standard normal N(0, 1) (Box–Muller, the second value of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    const u = 1 - this.next(); // (0, 1]: log(0) is never taken
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** exp(N(mu, sigma²)): a positive, right-skewed quantity whose median is exp(mu). */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /**
   * Poisson(mean). Knuth's product method below 30 (exact, O(mean) draws), above it the normal
   * approximation N(mean, mean) rounded, which is within a fraction of a percent there.
   */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.next();
    while (product > limit) {
      count++;
      product *= this.next();
    }
    return count;
  }

  /** Triangular on [min, max] with its mode at `mode`. */
  triangular(min: number, mode: number, max: number): number {
    const u = this.next();
    const split = (mode - min) / (max - min);
    return u < split
      ? min + Math.sqrt(u * (max - min) * (mode - min))
      : max - Math.sqrt((1 - u) * (max - min) * (max - mode));
  }
}

/**
 * A fixed list of items with weights, for repeated weighted draws in O(log n).
 * Weights need not sum to 1; items with weight 0 are never drawn.
 */
export class WeightedTable<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, weight], i) => {
      if (!(weight >= 0)) throw new Error(`weight must be ≥ 0, got ${weight}`);
      sum += weight;
      this.cumulative[i] = sum;
    });
    if (!(sum > 0)) throw new Error('a weighted table needs a positive total weight');
    this.total = sum;
  }

  draw(random: Random): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low] as T;
  }
}
