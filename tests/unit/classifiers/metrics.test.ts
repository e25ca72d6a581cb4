import { describe, expect, it } from 'vitest';
import { evaluate, evaluateByLanguage, formatLanguageTable } from '../../../src/classifiers/metrics.js';

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

describe('evaluateByLanguage', () => {
  it('gives each language its own hand-computed figures, most texts first', () => {
    // en: 1 gold [a] pred [a]; 2 gold [] pred [] → a: P = R = F1 = 1, no-label 0/1
    // uk: 3 gold [a] pred [b]; 4 gold [b] pred [b]; 5 gold [] pred [a]
    //     → a: tp 0 fp 1 fn 1 (F1 0); b: tp 1 fp 1 fn 0 (F1 2/3); macro 1/3; micro tp 1 fp 2 fn 1; no-label 1/1
    const rows = evaluateByLanguage(
      ['a', 'b'],
      [['a'], [], ['a'], ['b'], []],
      [['a'], [], ['b'], ['b'], ['a']],
      ['en', 'en', 'uk', 'uk', 'uk'],
    );
    expect(rows.map((r) => [r.lang, r.articles])).toEqual([
      ['uk', 3],
      ['en', 2],
    ]);
    const [uk, en] = rows;
    expect(uk!.macroF1).toBeCloseTo(1 / 3);
    expect(uk!.micro.precision).toBeCloseTo(1 / 3);
    expect(uk!.micro.recall).toBeCloseTo(1 / 2);
    expect(uk!.noLabel).toEqual({ articles: 1, withAnyLabel: 1, rate: 1 });
    expect(en!.macroF1).toBe(1);
    expect(en!.noLabel).toEqual({ articles: 1, withAnyLabel: 0, rate: 0 });
    const table = formatLanguageTable(rows).split('\n');
    expect(table[1]).toMatch(/^uk\s+3\s+0\.333\s+0\.333\s+0\.500\s+1\/1 \(100\.0%\)$/);
    expect(table[2]).toMatch(/^en\s+2\s+1\.000\s+1\.000\s+1\.000\s+0\/1 \(0\.0%\)$/);
  });
});
