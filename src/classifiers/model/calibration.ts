import { sigmoid } from './logistic.js';

/** Platt scaling: p = σ(a·z + b). */
export interface Platt {
  a: number;
  b: number;
}

/**
 * Fits Platt scaling on held-out decision values with Platt's smoothed targets (so a label with few
 * positives is not pushed to 0/1), by Newton's method on the two parameters.
 */
export function fitPlatt(z: readonly number[], y: readonly boolean[]): Platt {
  const pos = y.filter(Boolean).length;
  const neg = y.length - pos;
  if (pos === 0 || neg === 0) return { a: 1, b: 0 };
  const tPos = (pos + 1) / (pos + 2);
  const tNeg = 1 / (neg + 2);
  let a = 1;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    let g1 = 0;
    let g2 = 0;
    let h11 = 1e-9;
    let h12 = 0;
    let h22 = 1e-9;
    z.forEach((zi, i) => {
      const p = sigmoid(a * zi + b);
      const t = y[i] ? tPos : tNeg;
      const d = p - t;
      const w = p * (1 - p);
      g1 += d * zi;
      g2 += d;
      h11 += w * zi * zi;
      h12 += w * zi;
      h22 += w;
    });
    const det = h11 * h22 - h12 * h12;
    if (Math.abs(det) < 1e-12) break;
    const da = (h22 * g1 - h12 * g2) / det;
    const db = (h11 * g2 - h12 * g1) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

export function applyPlatt(p: Platt, z: number): number {
  return sigmoid(p.a * z + p.b);
}

/**
 * The score threshold that maximises F1 on held-out scores: the midpoint of the best gap between adjacent
 * scores (robust to the exact values), clamped so one unlucky fold cannot make a label fire on everything
 * or nothing.
 */
export function chooseThreshold(scores: readonly number[], y: readonly boolean[], bounds: [number, number] = [0.15, 0.85]): number {
  const pos = y.filter(Boolean).length;
  if (pos === 0) return bounds[1];
  const order = scores.map((s, i) => ({ s, y: y[i] === true })).sort((p, q) => q.s - p.s);
  let tp = 0;
  let fp = 0;
  let best = -1;
  let bestThreshold = 0.5;
  for (let k = 0; k < order.length; k++) {
    const cur = order[k]!;
    if (cur.y) tp++;
    else fp++;
    const next = order[k + 1];
    if (next && next.s === cur.s) continue;
    const f1 = (2 * tp) / (2 * tp + fp + (pos - tp));
    if (f1 > best) {
      best = f1;
      bestThreshold = next ? (cur.s + next.s) / 2 : cur.s / 2;
    }
  }
  return Math.min(bounds[1], Math.max(bounds[0], bestThreshold));
}
