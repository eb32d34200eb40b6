import fc from 'fast-check';
import { solveSymmetric, subset, trainingSet } from './matrix';

describe('solveSymmetric', () => {
  it('solves a hand-worked 3 × 3 system', () => {
    // A = L Lᵀ with L = [[2, 0, 0], [1, 2, 0], [0, 1, 2]]; A v = b for v = (1, −1, 2).
    const a = Float64Array.from([4, 2, 0, 2, 5, 2, 0, 2, 5]);
    const b = Float64Array.from([2, 1, 8]);
    expect(Array.from(solveSymmetric(a, b, 3))).toEqual([1, -1, 2]);
  });

  it('solves another 3 × 3 system with fractions', () => {
    // A = [[2, 1, 0], [1, 2, 1], [0, 1, 2]], b = (1, 1, 1): v = (1/2, 0, 1/2).
    const v = solveSymmetric(Float64Array.from([2, 1, 0, 1, 2, 1, 0, 1, 2]), Float64Array.from([1, 1, 1]), 3);
    expect(v[0]).toBeCloseTo(0.5, 14);
    expect(v[1]).toBeCloseTo(0, 14);
    expect(v[2]).toBeCloseTo(0.5, 14);
  });

  it('solves 1 × 1', () => {
    expect(Array.from(solveSymmetric(Float64Array.from([4]), Float64Array.from([2]), 1))).toEqual([0.5]);
  });

  it('throws for a matrix that is not positive definite', () => {
    expect(() => solveSymmetric(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2)).toThrow(
      'matrix is not positive definite',
    );
    expect(() => solveSymmetric(Float64Array.from([0]), Float64Array.from([1]), 1)).toThrow();
  });

  it('property: A · solve(A, b) = b for A = MᵀM + I', () => {
    const system = fc.integer({ min: 1, max: 6 }).chain((d) =>
      fc.record({
        d: fc.constant(d),
        m: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d * d, maxLength: d * d }),
        b: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: d, maxLength: d }),
      }),
    );
    fc.assert(
      fc.property(system, ({ d, m, b }) => {
        const a = new Float64Array(d * d);
        for (let i = 0; i < d; i++)
          for (let j = 0; j < d; j++) {
            let sum = i === j ? 1 : 0;
            for (let k = 0; k < d; k++) sum += (m[k * d + i] as number) * (m[k * d + j] as number);
            a[i * d + j] = sum;
          }
        const v = solveSymmetric(a, Float64Array.from(b), d);
        for (let i = 0; i < d; i++) {
          let sum = 0;
          for (let j = 0; j < d; j++) sum += (a[i * d + j] as number) * (v[j] as number);
          if (Math.abs(sum - (b[i] as number)) > 1e-8 * (1 + Math.abs(b[i] as number))) return false;
        }
        return true;
      }),
    );
  });
});

describe('trainingSet and subset', () => {
  it('starts with zeros and weights of 1', () => {
    const set = trainingSet(2, 3);
    expect(Array.from(set.x)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(set.y)).toEqual([0, 0]);
    expect(Array.from(set.weight)).toEqual([1, 1]);
  });

  it('copies the chosen rows, labels and weights, in the order given', () => {
    const set = trainingSet(3, 2);
    set.x.set([1, 2, 3, 4, 5, 6]);
    set.y.set([0, 1, 1]);
    set.weight.set([1, 2, 3]);
    const part = subset(set, [2, 0]);
    expect(part.rows).toBe(2);
    expect(part.columns).toBe(2);
    expect(Array.from(part.x)).toEqual([5, 6, 1, 2]);
    expect(Array.from(part.y)).toEqual([1, 0]);
    expect(Array.from(part.weight)).toEqual([3, 1]);
    part.x[0] = 99;
    expect(set.x[4]).toBe(5); // a copy, not a view
  });
});
