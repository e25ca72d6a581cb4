import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/classifiers/metrics.js';

describe('evaluate', () => {
  it('gives hand-computed precision, recall, F1, micro/macro and no-label false alarms', () => {
    // Four articles, labels a and b:
    //   1: gold [a]    pred [a]     → a: tp
    //   2: gold [a, b] pred [b]     → a: fn, b: tp
    //   3: gold []     pred [a]     → a: fp (a no-label article given a label)
    //   4: gold []     pred []
    const r = evaluate(['a', 'b', 'c'], [['a'], ['a', 'b'], [], []], [['a'], ['b'], ['a'], []]);
    const a = r.perLabel[0]!;
    expect([a.tp, a.fp, a.fn, a.support]).toEqual([1, 1, 1, 2]);
    expect(a.precision).toBeCloseTo(0.5);
    expect(a.recall).toBeCloseTo(0.5);
    expect(a.f1).toBeCloseTo(0.5);
    const b = r.perLabel[1]!;
    expect([b.precision, b.recall, b.f1]).toEqual([1, 1, 1]);
    // c has neither gold nor predicted examples: reported, but left out of the macro mean.
    expect(r.perLabel[2]!.support).toBe(0);
    expect(r.macroF1).toBeCloseTo((0.5 + 1) / 2);
    // micro: tp 2, fp 1, fn 1 → P = R = F1 = 2/3
    expect(r.micro.precision).toBeCloseTo(2 / 3);
    expect(r.micro.recall).toBeCloseTo(2 / 3);
    expect(r.micro.f1).toBeCloseTo(2 / 3);
    expect(r.noLabel).toEqual({ articles: 2, withAnyLabel: 1, rate: 0.5 });
  });
});
