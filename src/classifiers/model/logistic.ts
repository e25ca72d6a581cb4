/** A sparse feature vector: parallel index and value arrays. */
export interface SparseRow {
  idx: number[];
  val: number[];
}

export interface LogisticOptions {
  /** L2 penalty on the weights (not the bias). */
  l2: number;
  /** Maximum Newton steps (it usually converges in under 15). */
  iterations: number;
  /** Loss weight of positive examples; rare labels need more than 1 to be learned at all. */
  positiveWeight: number;
  /** Loss weight of each example (default 1), multiplied with `positiveWeight` for positives. */
  exampleWeights?: readonly number[];
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

function logLoss(z: number, y: number): number {
  // log(1 + e^-m) computed without overflow, m the signed margin.
  const m = y > 0 ? z : -z;
  return m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
}

// The bias is learned as the weight of a constant feature of this value (as liblinear does): the Newton
// system then stays symmetric-like and well conditioned, at the cost of a negligible penalty on the bias.
const BIAS_FEATURE = 1;
// Conjugate-gradient steps per Newton step: the system is solved to the forcing tolerance well before this.
const MAX_CG = 250;

/** Training rows in compressed form over the features they use (the bias feature last). */
interface Compact {
  ptr: Int32Array;
  col: Int32Array;
  val: Float64Array;
  /** Original feature index of each compact column. */
  features: number[];
}

function compact(rows: readonly SparseRow[]): Compact {
  const index = new Map<number, number>();
  const features: number[] = [];
  let nnz = 0;
  for (const r of rows) nnz += r.idx.length + 1;
  const ptr = new Int32Array(rows.length + 1);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let at = 0;
  for (const [i, r] of rows.entries()) {
    for (let k = 0; k < r.idx.length; k++) {
      const j = r.idx[k] as number;
      let c = index.get(j);
      if (c === undefined) {
        c = features.length;
        index.set(j, c);
        features.push(j);
      }
      col[at] = c;
      val[at++] = r.val[k] as number;
    }
    col[at] = -1;
    val[at++] = BIAS_FEATURE;
    ptr[i + 1] = at;
  }
  const bias = features.length;
  for (let k = 0; k < nnz; k++) if (col[k] === -1) col[k] = bias;
  return { ptr, col, val, features };
}

/** out = X v */
function times(x: Compact, v: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let k = x.ptr[i] as number; k < (x.ptr[i + 1] as number); k++) s += (x.val[k] as number) * (v[x.col[k] as number] as number);
    out[i] = s;
  }
}

/** out = Xᵀ u */
function timesT(x: Compact, u: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < u.length; i++) {
    const ui = u[i] as number;
    if (ui === 0) continue;
    for (let k = x.ptr[i] as number; k < (x.ptr[i + 1] as number); k++) out[x.col[k] as number]! += (x.val[k] as number) * ui;
  }
}

function dotv(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * L2-regularised logistic regression, solved by Newton's method with conjugate gradients over the features
 * the training rows use (truncated Newton, as liblinear's primal solver). Each step costs a few passes over
 * the non-zeros, so hundreds of articles and tens of thousands of n-grams train in well under a second per
 * label; the optimum is reached to a tight gradient tolerance, deterministically (no randomness, no
 * learning rate).
 */
export function trainLogistic(rows: readonly SparseRow[], y: readonly number[], dim: number, opts: LogisticOptions): LinearModel {
  const n = rows.length;
  const x = compact(rows);
  const m = x.features.length + 1;
  const c = Float64Array.from(y, (t, i) => (t > 0 ? opts.positiveWeight : 1) * (opts.exampleWeights?.[i] ?? 1));
  const cSum = c.reduce((a, b) => a + b, 0);
  const lambda = opts.l2;
  const w = new Float64Array(m);
  const z = new Float64Array(n);
  const objective = (wv: Float64Array, zv: Float64Array): number => {
    let loss = 0;
    for (let i = 0; i < n; i++) loss += ((c[i] as number) * logLoss(zv[i] as number, y[i] as number)) / cSum;
    return loss + (lambda / 2) * dotv(wv, wv);
  };
  let f = objective(w, z);
  const g = new Float64Array(m);
  const d = new Float64Array(n);
  const u = new Float64Array(n);
  const s = new Float64Array(m);
  const r = new Float64Array(m);
  const p = new Float64Array(m);
  const hp = new Float64Array(m);
  const xp = new Float64Array(n);
  const nw = new Float64Array(m);
  const nz = new Float64Array(n);
  let g0 = -1;
  for (let it = 0; it < opts.iterations; it++) {
    for (let i = 0; i < n; i++) {
      const pi = sigmoid(z[i] as number);
      const ci = (c[i] as number) / cSum;
      d[i] = ci * pi * (1 - pi);
      u[i] = ci * (pi - ((y[i] as number) > 0 ? 1 : 0));
    }
    timesT(x, u, g);
    for (let j = 0; j < m; j++) g[j]! += lambda * (w[j] as number);
    const gNorm = Math.sqrt(dotv(g, g));
    if (g0 < 0) g0 = gNorm;
    if (gNorm <= 1e-9 * Math.max(1, g0)) break;
    // Solve (XᵀDX + λI) s = −g by conjugate gradients, to a tolerance that tightens as the gradient shrinks.
    const tol = Math.min(0.5, Math.sqrt(gNorm / g0)) * gNorm;
    s.fill(0);
    for (let j = 0; j < m; j++) {
      r[j] = -(g[j] as number);
      p[j] = r[j] as number;
    }
    let rr = dotv(r, r);
    for (let k = 0; k < MAX_CG && Math.sqrt(rr) > tol; k++) {
      times(x, p, xp);
      for (let i = 0; i < n; i++) xp[i] = (xp[i] as number) * (d[i] as number);
      timesT(x, xp, hp);
      for (let j = 0; j < m; j++) hp[j]! += lambda * (p[j] as number);
      const alpha = rr / dotv(p, hp);
      for (let j = 0; j < m; j++) {
        s[j]! += alpha * (p[j] as number);
        r[j]! -= alpha * (hp[j] as number);
      }
      const rrNew = dotv(r, r);
      const beta = rrNew / rr;
      rr = rrNew;
      for (let j = 0; j < m; j++) p[j] = (r[j] as number) + beta * (p[j] as number);
    }
    // Backtracking line search on the objective (Armijo condition).
    const slope = dotv(g, s);
    let t = 1;
    let accepted = false;
    for (let k = 0; k < 30; k++) {
      for (let j = 0; j < m; j++) nw[j] = (w[j] as number) + t * (s[j] as number);
      times(x, nw, nz);
      const nf = objective(nw, nz);
      if (nf <= f + 1e-4 * t * slope) {
        const gain = f - nf;
        w.set(nw);
        z.set(nz);
        f = nf;
        accepted = true;
        if (gain < 1e-14) it = opts.iterations;
        break;
      }
      t /= 2;
    }
    if (!accepted) break;
  }
  const weights = new Float64Array(dim);
  x.features.forEach((j, k) => {
    weights[j] = w[k] as number;
  });
  return { weights, bias: (w[m - 1] as number) * BIAS_FEATURE };
}
