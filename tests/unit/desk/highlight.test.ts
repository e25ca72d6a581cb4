import { describe, expect, it } from 'vitest';
import { segmentText, type Highlight } from '../../../web/desk/src/highlight.js';

const text = 'The EU imposed sanctions on banks. Energy flows fell. Talks resumed.';
const at = (label: string, part: string, kind: Highlight['kind'] = 'evidence', n = 0): Highlight => {
  const start = text.indexOf(part);
  return { start, end: start + part.length, label, kind, text: part, n };
};

describe('highlighting evidence at stored offsets', () => {
  it('cuts the text into runs that put every character back in order', () => {
    const { segments, skipped } = segmentText(text, [at('sanctions', 'The EU imposed sanctions on banks.'), at('energy', 'Energy flows fell.')]);
    expect(skipped).toEqual([]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.filter((s) => s.highlights.length > 0).map((s) => [s.text, s.highlights.map((h) => h.label)])).toEqual([
      ['The EU imposed sanctions on banks.', ['sanctions']],
      ['Energy flows fell.', ['energy']],
    ]);
  });

  it('splits overlapping evidence of two labels into runs that name both', () => {
    const { segments } = segmentText(text, [at('sanctions', 'The EU imposed sanctions'), at('banking', 'sanctions on banks')]);
    expect(segments.map((s) => [s.text, s.highlights.map((h) => h.label)])).toEqual([
      ['The EU imposed ', ['sanctions']],
      ['sanctions', ['sanctions', 'banking']],
      [' on banks', ['banking']],
      ['. Energy flows fell. Talks resumed.', []],
    ]);
  });

  it('leaves out evidence whose offsets no longer select its text, rather than marking the wrong words', () => {
    const moved = { ...at('sanctions', 'Energy flows fell.'), text: 'The EU imposed sanctions' };
    const outside = { start: 60, end: 200, label: 'x', kind: 'evidence' as const, text: 'nope', n: 0 };
    const { segments, skipped } = segmentText(text, [moved, outside, at('talks', 'Talks resumed.')]);
    expect(skipped).toEqual([moved, outside]);
    expect(segments.filter((s) => s.highlights.length > 0).map((s) => s.text)).toEqual(['Talks resumed.']);
  });

  it('counts offsets in UTF-16 code units, as the classifier stores them', () => {
    const source = 'Ukraine 🇺🇦 — sanctions imposed.';
    const part = 'sanctions imposed';
    const start = source.indexOf(part);
    const { segments } = segmentText(source, [{ start, end: start + part.length, label: 's', kind: 'evidence', text: part, n: 0 }]);
    expect(segments.find((s) => s.highlights.length > 0)?.text).toBe(part);
  });
});
