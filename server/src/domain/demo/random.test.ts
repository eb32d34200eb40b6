import { Random, splitSeed, WeightedTable } from './random';

function draws(random: Random, n: number): number[] {
  return Array.from({ length: n }, () => random.nextUint32());
}

describe('Random', () => {
  it('is deterministic per (seed, index, stream)', () => {
    expect(draws(Random.forStream(7, 3, 'people'), 5)).toEqual(draws(Random.forStream(7, 3, 'people'), 5));
  });

  it('pins the first outputs of a stream (changing them changes every demo market)', () => {
    expect(draws(Random.forStream(1, 0, 'account'), 3)).toEqual([2966204418, 2147892001, 2278484698]);
  });

  it('gives different numbers to other seeds, indexes and streams', () => {
    const base = draws(Random.forStream(7, 3, 'people'), 4);
    expect(draws(Random.forStream(8, 3, 'people'), 4)).not.toEqual(base);
    expect(draws(Random.forStream(7, 4, 'people'), 4)).not.toEqual(base);
    expect(draws(Random.forStream(7, 3, 'account'), 4)).not.toEqual(base);
    expect(draws(Random.forStream(7 + 2 ** 32, 3, 'people'), 4)).not.toEqual(base);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => Random.forStream(1.5, 0, 'x')).toThrow('seed must be a safe integer');
    expect(() => splitSeed(Number.MAX_SAFE_INTEGER + 1)).toThrow('seed must be a safe integer');
  });

  it('splits seeds into 32-bit halves', () => {
    expect(splitSeed(5)).toEqual([5, 0]);
    expect(splitSeed(2 ** 32 + 9)).toEqual([9, 1]);
    expect(splitSeed(-1)).toEqual([4294967295, 4294967295]);
  });

  it('draws uniform numbers in [0, 1) with the right moments', () => {
    const random = Random.forStream(1, 0, 'uniform');
    const values = Array.from({ length: 50_000 }, () => random.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b) / values.length;
    expect(mean).toBeCloseTo(0.5, 2);
  });

  it('draws integers in the inclusive range, each about equally often', () => {
    const random = Random.forStream(1, 0, 'int');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[random.int(0, 3)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(9_500);
    expect(counts.reduce((a, b) => a + b)).toBe(40_000);
  });

  it.each([0.7, 4, 25, 30, 200])('draws Poisson(%s) with that mean and variance', (mean) => {
    const random = Random.forStream(1, 0, `poisson-${mean}`);
    const values = Array.from({ length: 20_000 }, () => random.poisson(mean));
    const average = values.reduce((a, b) => a + b) / values.length;
    const variance = values.reduce((a, b) => a + (b - average) ** 2, 0) / values.length;
    expect(Math.abs(average - mean)).toBeLessThan(0.05 * mean + 0.02);
    expect(Math.abs(variance - mean)).toBeLessThan(0.1 * mean + 0.05);
    expect(values.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
  });

  it('draws Poisson(0) and Poisson(negative) as 0', () => {
    const random = Random.forStream(1, 0, 'poisson-0');
    expect(random.poisson(0)).toBe(0);
    expect(random.poisson(-3)).toBe(0);
  });

  it('draws standard normals, log-normals, exponentials and triangulars with the right moments', () => {
    const random = Random.forStream(1, 0, 'continuous');
    const n = 40_000;
    const normals = Array.from({ length: n }, () => random.normal());
    const mean = normals.reduce((a, b) => a + b) / n;
    const sd = Math.sqrt(normals.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    expect(mean).toBeCloseTo(0, 1);
    expect(sd).toBeCloseTo(1, 1);

    const logNormals = Array.from({ length: n }, () => random.logNormal(Math.log(100), 0.5)).sort(
      (a, b) => a - b,
    );
    expect(logNormals[n / 2]).toBeGreaterThan(95);
    expect(logNormals[n / 2]).toBeLessThan(105);

    const exponentials = Array.from({ length: n }, () => random.exponential(10));
    expect(exponentials.reduce((a, b) => a + b) / n).toBeCloseTo(10, 0);

    const triangulars = Array.from({ length: n }, () => random.triangular(30, 60, 120));
    expect(Math.min(...triangulars)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...triangulars)).toBeLessThanOrEqual(120);
    expect(triangulars.reduce((a, b) => a + b) / n).toBeCloseTo(70, 0); // (30 + 60 + 120) / 3
  });
});

describe('WeightedTable', () => {
  it('draws items in proportion to their weights and never a zero-weight item', () => {
    const table = new WeightedTable<string>([
      ['a', 1],
      ['never', 0],
      ['b', 3],
    ]);
    const random = Random.forStream(1, 0, 'weighted');
    const counts: Record<string, number> = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 40_000; i++) counts[table.draw(random)]! += 1;
    expect(counts.never).toBe(0);
    expect((counts.b as number) / (counts.a as number)).toBeGreaterThan(2.8);
    expect((counts.b as number) / (counts.a as number)).toBeLessThan(3.2);
  });

  it('rejects negative weights and an all-zero table', () => {
    expect(() => new WeightedTable([['a', -1]])).toThrow('weight must be ≥ 0');
    expect(() => new WeightedTable([['a', 0]])).toThrow('positive total weight');
  });
});
