/** A sparse feature vector: parallel index and value arrays. */
export interface SparseRow {
  idx: number[];
  val: number[];
}

export interface LogisticOptions {
  /** L2 penalty on the weights (not the bias). */
  l2: number;
  iterations: number;
  /** Loss weight of positive examples; rare labels need more than 1 to be learned at all. */
  positiveWeight: number;
}

export interface LinearModel {
  weights: Float64Array;
  bias: number;
}

export function dot(w: ArrayLike<number>, row: SparseRow): number {
  let z = 0;
  for (let k = 0; k < row.idx.length; k++) z += (w[row.idx[k] as number] ?? 0) * (row.val[k] as number);
  return z;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * L2-regularised logistic regression by Nesterov-accelerated gradient descent with the step set from the
 * data's largest curvature (power iteration), so it converges without a tuned learning rate and gives the
 * same weights for the same data every time (no randomness inside).
 */
export function trainLogistic(rows: readonly SparseRow[], y: readonly number[], dim: number, opts: LogisticOptions): LinearModel {
  const n = rows.length;
  const c = y.map((t) => (t > 0 ? opts.positiveWeight : 1));
  const cSum = c.reduce((a, b) => a + b, 0);
  const step = 1 / (0.25 * largestEigen(rows, c, dim, cSum) + opts.l2);
  let w = new Float64Array(dim);
  let b = 0;
  let v = new Float64Array(dim);
  let vb = 0;
  let t = 1;
  const grad = new Float64Array(dim);
  for (let it = 0; it < opts.iterations; it++) {
    grad.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const row = rows[i] as SparseRow;
      const yi = (y[i] as number) > 0 ? 1 : 0;
      const r = ((sigmoid(dot(v, row) + vb) - yi) * (c[i] as number)) / cSum;
      for (let k = 0; k < row.idx.length; k++) grad[row.idx[k] as number]! += r * (row.val[k] as number);
      gb += r;
    }
    const next = new Float64Array(dim);
    for (let j = 0; j < dim; j++) next[j] = (v[j] as number) - step * ((grad[j] as number) + opts.l2 * (v[j] as number));
    const nextB = vb - step * gb;
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const mom = (t - 1) / tNext;
    const nv = new Float64Array(dim);
    for (let j = 0; j < dim; j++) nv[j] = (next[j] as number) + mom * ((next[j] as number) - (w[j] as number));
    vb = nextB + mom * (nextB - b);
    w = next;
    b = nextB;
    v = nv;
    t = tNext;
  }
  return { weights: w, bias: b };
}

/** Largest eigenvalue of the weighted Gram matrix Xᵀ C X / ΣC (+1 for the bias column), by power iteration. */
function largestEigen(rows: readonly SparseRow[], c: readonly number[], dim: number, cSum: number): number {
  let x = new Float64Array(dim + 1).fill(1 / Math.sqrt(dim + 1));
  let lambda = 1;
  for (let it = 0; it < 30; it++) {
    const out = new Float64Array(dim + 1);
    rows.forEach((row, i) => {
      let z = x[dim] as number;
      for (let k = 0; k < row.idx.length; k++) z += (x[row.idx[k] as number] as number) * (row.val[k] as number);
      z *= (c[i] as number) / cSum;
      for (let k = 0; k < row.idx.length; k++) out[row.idx[k] as number]! += z * (row.val[k] as number);
      out[dim]! += z;
    });
    let norm = 0;
    for (const o of out) norm += o * o;
    norm = Math.sqrt(norm);
    if (norm === 0) return 1;
    lambda = norm;
    x = out.map((o) => o / norm);
  }
  return lambda;
}
