import { describe, expect, it } from 'vitest';
import { estimateConfidence, summaryAgreement } from '../../../src/extract/confidence.js';
import { blockText, countWords } from '../../../src/extract/block-text.js';
import { parseHTML } from 'linkedom';

const TEXT = 'The ministers agreed on Thursday to extend targeted sanctions on energy exports, diplomats said after talks in Brussels. '.repeat(10);

describe('confidence', () => {
  it('grows with length and falls with link density', () => {
    const short = estimateConfidence({ wordCount: 20, linkDensity: 0, text: TEXT });
    const long = estimateConfidence({ wordCount: 400, linkDensity: 0, text: TEXT });
    const linky = estimateConfidence({ wordCount: 400, linkDensity: 0.6, text: TEXT });
    expect(long).toBe(1);
    expect(short).toBeLessThan(0.5);
    expect(linky).toBeLessThan(long);
    for (const c of [short, long, linky]) expect(c).toBeGreaterThanOrEqual(0);
  });

  it('uses agreement with the feed summary when there is one', () => {
    expect(summaryAgreement(TEXT, 'Ministers extend targeted sanctions on energy exports after Brussels talks')).toBe(1);
    expect(summaryAgreement(TEXT, 'Chip maker beats expectations as datacentre revenue doubles again')).toBe(0);
    expect(summaryAgreement(TEXT, 'Too short')).toBeNull();
    const agree = estimateConfidence({ wordCount: 400, linkDensity: 0, text: TEXT, feedSummary: 'Ministers extend targeted sanctions on energy exports after Brussels talks' });
    const disagree = estimateConfidence({ wordCount: 400, linkDensity: 0, text: TEXT, feedSummary: 'Chip maker beats expectations as datacentre revenue doubles again' });
    expect(agree).toBeGreaterThan(disagree);
    expect(disagree).toBeLessThan(0.7);
  });
});

describe('blockText', () => {
  it('separates blocks with blank lines, keeps <br> as a line break and collapses whitespace', () => {
    const { document } = parseHTML('<html><body><div id="c"><h2>Head</h2><p>One\n   two</p><p>three<br>four</p><ul><li>a</li><li>b</li></ul><table><tr><td>x</td><td>y</td></tr></table></div></body></html>');
    const el = (document as unknown as Document).getElementById('c');
    if (!el) throw new Error('no element');
    expect(blockText(el)).toBe('Head\n\nOne two\n\nthree\nfour\n\na\n\nb\n\nx y');
  });

  it('does not glue words across block boundaries', () => {
    const { document } = parseHTML('<html><body><div id="c"><p>end</p><p>Start</p></div></body></html>');
    const el = (document as unknown as Document).getElementById('c');
    if (!el) throw new Error('no element');
    expect(blockText(el)).toBe('end\n\nStart');
    expect(countWords('It’s two-thirds done, 2026.')).toBe(5);
  });
});
