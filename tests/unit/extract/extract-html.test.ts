import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { DOM_ENGINES } from '../../../src/extract/dom-engine.js';
import { extractFromHtml } from '../../../src/extract/extract-html.js';
import { scorePage } from '../../../src/extract/score.js';
import { BENCHMARK_FIXTURES, benchmarkFixture, deeplyNestedPage, fixtureBytes, fixtureText, hugePage } from './fixture-pages.js';

// Per page: [precision, recall] floors about 0.02 under what the stage measured on these pages (both
// engines agree), and whether the token sequence is exactly the truth.
const EXPECTED: Record<string, { p: number; r: number; exact: boolean }> = {
  'bbc-newsbeat-swift': { p: 0.95, r: 0.98, exact: false },
  'entermedia-korean': { p: 0.98, r: 0.97, exact: false },
  'gizmodo-apple-innovation': { p: 1, r: 1, exact: true },
  'lhpat-japanese': { p: 1, r: 1, exact: true },
  'nbcnews-omar-threat': { p: 0.9, r: 0.98, exact: false },
  'remember8090-italian': { p: 0.92, r: 0.87, exact: false },
  'vse-diety-russian': { p: 0.82, r: 0.98, exact: false },
};

describe.each(DOM_ENGINES)('extractFromHtml on %s', (engine) => {
  it.each(BENCHMARK_FIXTURES)('reads the article body of benchmark page %s', (name) => {
    const page = benchmarkFixture(name);
    const expected = EXPECTED[name];
    if (!expected) throw new Error(`add ${name} to EXPECTED`);
    const out = extractFromHtml(page.html, { url: page.url, engine });
    expect(out.failure).toBeNull();
    const score = scorePage(out.text, page.truth);
    expect(score.precision).toBeGreaterThanOrEqual(expected.p);
    expect(score.recall).toBeGreaterThanOrEqual(expected.r);
    if (expected.exact) expect(score.exact).toBe(true);
    expect(out.wordCount).toBeGreaterThan(50);
    expect(out.confidence).toBeGreaterThan(0.5);
  });

  it('records metadata: title, dates, language, site, canonical URL, lead image', () => {
    const page = benchmarkFixture('gizmodo-apple-innovation');
    const out = extractFromHtml(page.html, { url: page.url, engine });
    expect(out.title).toMatch(/future of Apple innovation/i);
    expect(out.lang).toBe('en-US');
    expect(out.publishedAt).toMatch(/^2019-11-\d\dT/);
    expect(out.canonicalUrl).toBe('https://gizmodo.com/so-this-is-the-future-of-apple-innovation-1839927963');
    expect(out.leadImage).toMatch(/^https:\/\//);
    expect(out.siteName).toBeTruthy();
    expect(out.html).toContain('<p>');
    expect(out.text.split('\n\n').length).toBeGreaterThan(5);
  });

  it('keeps non-Latin scripts and the declared language (Korean)', () => {
    const page = benchmarkFixture('entermedia-korean');
    const out = extractFromHtml(page.html, { url: page.url, engine });
    expect(out.lang).toBe('ko');
    expect(out.text.match(/[\uac00-\ud7af]/g)?.length).toBeGreaterThan(1000);
  });

  it('detects the language when the page declares none (Shift_JIS page decoded first)', () => {
    const html = iconv.decode(fixtureBytes('lhpat-japanese.sjis.html'), 'Shift_JIS');
    const out = extractFromHtml(html, { url: 'https://www.lhpat-tm.com/blog/decision-info/index-2726.html', engine });
    expect(out.lang).toBe('ja');
    expect(out.flags).toContain('lang-detected');
    expect(scorePage(out.text, benchmarkFixture('lhpat-japanese').truth).recall).toBeGreaterThan(0.9);
  });

  it('flags a paywall teaser and a consent wall', () => {
    const paywall = extractFromHtml(fixtureText('paywall.html'), { url: 'https://ledger.example/world/sanctions-talks-stall', engine });
    expect(paywall.flags).toContain('paywall');
    expect(paywall.byline).toBe('Ana Ruiz');
    expect(paywall.publishedAt).toBe('2026-11-20T08:30:00.000Z');
    const consent = extractFromHtml(fixtureText('consent-wall.html'), { url: 'https://news.example/article', engine });
    expect(consent.flags).toContain('consent-wall');
    expect(consent.flags).not.toContain('paywall');
  });

  it('refuses a deeply nested page before building the DOM', () => {
    const out = extractFromHtml(deeplyNestedPage(5000), { url: 'https://x.example/deep', engine });
    expect(out.failure?.reason).toBe('too-deep');
    expect(out.text).toBe('');
    expect(out.confidence).toBe(0);
  });

  it('refuses a huge page', () => {
    const out = extractFromHtml(hugePage(5), { url: 'https://x.example/huge', engine });
    expect(out.failure?.reason).toBe('too-large');
  });

  it('raises confidence when the text agrees with the feed summary', () => {
    const page = benchmarkFixture('nbcnews-omar-threat');
    const agreeing = extractFromHtml(page.html, { url: page.url, engine, feedSummary: page.truth.slice(0, 300) });
    const unrelated = extractFromHtml(page.html, { url: page.url, engine, feedSummary: 'Quarterly earnings at the chip maker beat analyst expectations as datacentre revenue doubled' });
    expect(agreeing.confidence).toBeGreaterThan(unrelated.confidence);
  });
});

describe('CSS that jsdom 29 cannot parse', () => {
  it('is a recorded dom-error on jsdom, never a throw', () => {
    const out = extractFromHtml(fixtureText('calc-css.html'), { url: 'https://grid.example/winter', engine: 'jsdom' });
    expect(out.failure?.reason).toBe('dom-error');
    expect(out.failure?.message).toMatch(/\)" is expected|expected/);
    expect(out.flags).toContain('dom-error');
  });

  it('extracts the same page on linkedom', () => {
    const out = extractFromHtml(fixtureText('calc-css.html'), { url: 'https://grid.example/winter', engine: 'linkedom' });
    expect(out.failure).toBeNull();
    expect(out.text).toMatch(/^Electricity grid operators/);
    expect(out.text).not.toMatch(/podcast/);
  });
});
