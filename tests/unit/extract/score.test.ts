import { describe, expect, it } from 'vitest';
import { ngramCounts, pageCounts, scoreCorpus, scorePage, tokenize } from '../../../src/extract/score.js';

describe('benchmark scorer', () => {
  it('tokenizes on letters, digits and underscore, keeping case and non-Latin scripts', () => {
    expect(tokenize('Hello, World! it’s 2019 snake_case Привет 東京')).toEqual([
      'Hello', 'World', 'it', 's', '2019', 'snake_case', 'Привет', '東京',
    ]);
    expect(tokenize(' ... ')).toEqual([]);
  });

  it('builds 4-gram multisets, one shorter gram for 1-3 tokens and none for no tokens', () => {
    expect([...ngramCounts(['a', 'b', 'c', 'd', 'e']).values()]).toEqual([1, 1]);
    expect(ngramCounts(['a', 'b']).size).toBe(1);
    expect(ngramCounts([]).size).toBe(0);
    // "a b c d a b c d" has grams abcd, bcda, cdab, dabc, abcd: abcd twice.
    const repeated = ngramCounts('a b c d a b c d'.split(' '));
    expect(repeated.get(['a', 'b', 'c', 'd'].join('\u0000'))).toBe(2);
    expect(repeated.size).toBe(4);
  });

  it('counts multiset overlaps: truth "a b c d e" vs prediction "a b c d" is tp 1, fp 0, fn 1', () => {
    expect(pageCounts('a b c d', 'a b c d e')).toEqual({ tp: 1, fp: 0, fn: 1 });
    const s = scorePage('a b c d', 'a b c d e');
    expect(s.precision).toBe(1);
    expect(s.recall).toBe(0.5);
    expect(s.exact).toBe(false);
  });

  it('counts repeated grams only as often as the truth has them', () => {
    // prediction grams: abcd x2, bcda, cdab, dabc; truth grams: abcd x1 → tp 1, fp 4, fn 0
    expect(pageCounts('a b c d a b c d', 'a b c d')).toEqual({ tp: 1, fp: 4, fn: 0 });
    expect(scorePage('a b c d a b c d', 'a b c d').precision).toBeCloseTo(0.2, 10);
  });

  it('applies the edge rules: perfect is 1/1, empty prediction is P 0 and R 0', () => {
    const perfect = scorePage('One two three four five.', 'One, two three four five');
    expect(perfect).toMatchObject({ precision: 1, recall: 1, exact: true });
    const empty = scorePage('', 'one two three four five');
    expect(empty).toMatchObject({ tp: 0, fp: 0, fn: 2, precision: 0, recall: 0, exact: false });
    const wrong = scorePage('x y z w', 'one two three four');
    expect(wrong).toMatchObject({ precision: 0, recall: 0 });
  });

  it('case matters for grams and for accuracy', () => {
    expect(scorePage('one two three four', 'One two three four')).toMatchObject({ tp: 0, exact: false });
  });

  it('averages precision only over pages that predicted something, recall over all', () => {
    const pages = [
      scorePage('a b c d', 'a b c d e'), // P 1, R 0.5
      scorePage('a b c d e', 'a b c d e'), // P 1, R 1, exact
      scorePage('', 'a b c d e'), // not in precision mean, R 0
      scorePage('a b c d x y', 'a b c d e'), // grams abcd bcdx cdxy; tp 1 fp 2 fn 1 → P 1/3, R 1/2
    ];
    const c = scoreCorpus(pages);
    const p = (1 + 1 + 1 / 3) / 3;
    const r = (0.5 + 1 + 0 + 0.5) / 4;
    expect(c.precision).toBeCloseTo(p, 12);
    expect(c.recall).toBeCloseTo(r, 12);
    expect(c.f1).toBeCloseTo((2 * p * r) / (p + r), 12);
    expect(c.accuracy).toBe(0.25);
    expect(c.pages).toBe(4);
  });
});
