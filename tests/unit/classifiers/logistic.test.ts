import { describe, expect, it } from 'vitest';
import { applyPlatt, chooseThreshold, fitPlatt } from '../../../src/classifiers/model/calibration.js';
import { assignFolds } from '../../../src/classifiers/model/folds.js';
import { dot, sigmoid, trainLogistic } from '../../../src/classifiers/model/logistic.js';

describe('trainLogistic', () => {
  it('learns a separable problem and puts weight on the informative feature', () => {
    // feature 0 decides the class, feature 1 is noise present everywhere
    const rows = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({ idx: i % 2 === 0 ? [0, 1] : [1], val: i % 2 === 0 ? [1, 1] : [1] }));
    const y = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => (i % 2 === 0 ? 1 : 0));
    const m = trainLogistic(rows, y, 2, { l2: 0.01, iterations: 50, positiveWeight: 1 });
    expect(m.weights[0]).toBeGreaterThan(1);
    expect(sigmoid(dot(m.weights, rows[0]!) + m.bias)).toBeGreaterThan(0.8);
    expect(sigmoid(dot(m.weights, rows[1]!) + m.bias)).toBeLessThan(0.2);
  });

  it('gives the same weights for the same data', () => {
    const rows = [
      { idx: [0], val: [1] },
      { idx: [1], val: [1] },
      { idx: [0, 1], val: [0.5, 0.5] },
    ];
    const a = trainLogistic(rows, [1, 0, 1], 2, { l2: 0.1, iterations: 20, positiveWeight: 2 });
    const b = trainLogistic(rows, [1, 0, 1], 2, { l2: 0.1, iterations: 20, positiveWeight: 2 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(a.bias).toBe(b.bias);
  });
});

describe('calibration and thresholds', () => {
  it('Platt scaling orders scores like the decision values and stays inside (0, 1)', () => {
    const z = [-3, -2, -1, 0.5, 1, 2, 3];
    const y = [false, false, false, true, true, true, true];
    const p = fitPlatt(z, y);
    const s = z.map((v) => applyPlatt(p, v));
    for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThan(s[i - 1]!);
    expect(Math.min(...s)).toBeGreaterThan(0);
    expect(Math.max(...s)).toBeLessThan(1);
  });

  it('chooses the threshold in the gap that maximises F1', () => {
    expect(chooseThreshold([0.9, 0.7, 0.4, 0.2], [true, true, false, false])).toBeCloseTo(0.55);
    // no positives: the upper bound, so the label stays quiet
    expect(chooseThreshold([0.9, 0.1], [false, false])).toBe(0.85);
  });
});

describe('assignFolds', () => {
  it('spreads a rare label over folds and is fixed by the seed', () => {
    const labels = [['x'], ['x'], ['x'], [], [], [], [], [], ['y'], ['y']];
    const a = assignFolds(labels, 3, 42);
    expect(assignFolds(labels, 3, 42)).toEqual(a);
    expect(new Set([a[0], a[1], a[2]]).size).toBe(3);
    expect(assignFolds(labels, 3, 43)).not.toEqual(a);
  });
});
