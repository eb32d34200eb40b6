/** A dense row-major matrix of n examples × d features, with a 0/1 label and a weight per example. */
export interface TrainingSet {
  readonly rows: number;
  readonly columns: number;
  /** rows × columns values, row-major. */
  readonly x: Float64Array;
  readonly y: Uint8Array;
  /** Sample weights (a down-sampled negative stands for 1/rate negatives). */
  readonly weight: Float64Array;
}

export function trainingSet(rows: number, columns: number): TrainingSet {
  return {
    rows,
    columns,
    x: new Float64Array(rows * columns),
    y: new Uint8Array(rows),
    weight: new Float64Array(rows).fill(1),
  };
}

/** The examples at `indices`, copied (for hold-out splits). */
export function subset(set: TrainingSet, indices: readonly number[]): TrainingSet {
  const out = trainingSet(indices.length, set.columns);
  indices.forEach((source, target) => {
    out.x.set(set.x.subarray(source * set.columns, (source + 1) * set.columns), target * set.columns);
    out.y[target] = set.y[source] as number;
    out.weight[target] = set.weight[source] as number;
  });
  return out;
}

/**
 * Solves A·v = b for a symmetric positive definite d × d matrix A (row-major) by Cholesky
 * decomposition. Throws when A is not positive definite.
 */
export function solveSymmetric(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * d + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * d + k] as number) * (l[j * d + k] as number);
      if (i === j) {
        if (!(sum > 0)) throw new Error('matrix is not positive definite');
        l[i * d + i] = Math.sqrt(sum);
      } else {
        l[i * d + j] = sum / (l[j * d + j] as number);
      }
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * d + k] as number) * (z[k] as number);
    z[i] = sum / (l[i * d + i] as number);
  }
  const v = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let sum = z[i] as number;
    for (let k = i + 1; k < d; k++) sum -= (l[k * d + i] as number) * (v[k] as number);
    v[i] = sum / (l[i * d + i] as number);
  }
  return v;
}
