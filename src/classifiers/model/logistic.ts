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

function sparseDot(a: SparseRow, b: SparseRow): number {
  // Rows are short (a few hundred entries); a map of one side is simpler than sorting both.
  let z = 0;
  const m = new Map<number, number>();
  a.idx.forEach((j, k) => m.set(j, a.val[k] as number));
  b.idx.forEach((j, k) => {
    const v = m.get(j);
    if (v !== undefined) z += v * (b.val[k] as number);
  });
  return z;
}

function logLoss(z: number, y: number): number {
  // log(1 + e^-m) computed without overflow, m the signed margin.
  const m = y > 0 ? z : -z;
  return m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
}

// The bias is learned as the weight of a constant feature of this value (as liblinear does): the Newton
// system then stays symmetric-like and well conditioned, at the cost of a negligible penalty on the bias.
const BIAS_FEATURE = 1;

/**
 * L2-regularised logistic regression, solved exactly by Newton's method in the span of the training rows
 * (w = Xᵀα; the optimum always lies there). With tens to hundreds of articles and thousands of features
 * this is an n×n solve per step: fast, converged, and deterministic (no randomness, no learning rate).
 */
export function trainLogistic(rows: readonly SparseRow[], y: readonly number[], dim: number, opts: LogisticOptions): LinearModel {
  const n = rows.length;
  const c = y.map((t) => (t > 0 ? opts.positiveWeight : 1));
  const cSum = c.reduce((a, b) => a + b, 0);
  const lambda = opts.l2;
  const K: number[][] = rows.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = sparseDot(rows[i] as SparseRow, rows[j] as SparseRow) + BIAS_FEATURE * BIAS_FEATURE;
      K[i]![j] = v;
      K[j]![i] = v;
    }
  }
  const margins = (a: number[]): number[] => K.map((row) => row.reduce((s, k, j) => s + k * (a[j] as number), 0));
  // Objective: Σ cᵢ·loss(zᵢ)/Σc + λ/2·αᵀKα, with z = Kα.
  const objective = (a: number[], z: number[]): number => {
    let loss = 0;
    let reg = 0;
    for (let i = 0; i < n; i++) {
      loss += ((c[i] as number) * logLoss(z[i] as number, y[i] as number)) / cSum;
      reg += (a[i] as number) * (z[i] as number);
    }
    return loss + (lambda / 2) * reg;
  };
  let alpha = new Array<number>(n).fill(0);
  let z = new Array<number>(n).fill(0);
  let f = objective(alpha, z);
  for (let it = 0; it < opts.iterations; it++) {
    const p = z.map(sigmoid);
    const d = p.map((pi, i) => ((c[i] as number) * pi * (1 - pi)) / cSum);
    const g = p.map((pi, i) => ((c[i] as number) * (pi - ((y[i] as number) > 0 ? 1 : 0))) / cSum);
    // Gradient in α is K(g + λα) and the Hessian K(DK + λI); solving (DK + λI)Δ = g + λα gives the Newton step.
    const A: number[][] = [];
    for (let i = 0; i < n; i++) {
      const row = new Array<number>(n + 1).fill(0);
      for (let j = 0; j < n; j++) row[j] = (d[i] as number) * (K[i]?.[j] as number) + (i === j ? lambda : 0);
      row[n] = (g[i] as number) + lambda * (alpha[i] as number);
      A.push(row);
    }
    const step = solve(A);
    if (!step) break;
    // Damped Newton: halve the step until the objective decreases.
    let t = 1;
    let accepted = false;
    for (let k = 0; k < 30; k++) {
      const na = alpha.map((a, i) => a - t * (step[i] as number));
      const nz = margins(na);
      const nf = objective(na, nz);
      if (nf <= f) {
        const gain = f - nf;
        alpha = na;
        z = nz;
        f = nf;
        accepted = true;
        if (gain < 1e-12) it = opts.iterations;
        break;
      }
      t /= 2;
    }
    if (!accepted) break;
  }
  const weights = new Float64Array(dim);
  let bias = 0;
  rows.forEach((row, i) => {
    const a = alpha[i] as number;
    if (a === 0) return;
    bias += a * BIAS_FEATURE;
    row.idx.forEach((j, k) => {
      weights[j]! += a * (row.val[k] as number);
    });
  });
  return { weights, bias: bias * BIAS_FEATURE };
}

/** Gaussian elimination with partial pivoting on an augmented matrix; null when singular. */
function solve(A: number[][]): number[] | null {
  const m = A.length;
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(A[r]![col]!) > Math.abs(A[piv]![col]!)) piv = r;
    if (Math.abs(A[piv]![col]!) < 1e-300) return null;
    [A[col], A[piv]] = [A[piv]!, A[col]!];
    const pr = A[col]!;
    for (let r = col + 1; r < m; r++) {
      const row = A[r]!;
      const factor = row[col]! / pr[col]!;
      if (factor === 0) continue;
      for (let k = col; k <= m; k++) row[k]! -= factor * pr[k]!;
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let r = m - 1; r >= 0; r--) {
    const row = A[r]!;
    let s = row[m]!;
    for (let k = r + 1; k < m; k++) s -= row[k]! * x[k]!;
    x[r] = s / row[r]!;
  }
  return x;
}
