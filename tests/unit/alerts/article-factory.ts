import type { ArticleRecord, StoredLabel } from '../../../src/domain/types.js';

/** A stored article for rule tests; labels given as `{ id, score, groups, direction? }`. */
export function makeArticle(overrides: Partial<ArticleRecord> & { labelSpecs?: Partial<StoredLabel>[] } = {}): ArticleRecord {
  const { labelSpecs, ...rest } = overrides;
  const labels: StoredLabel[] = (labelSpecs ?? []).map((l) => ({
    id: l.id ?? 'targeted-sanctions',
    score: l.score ?? 0.8,
    groups: l.groups ?? ['policy-focuses'],
    evidence: l.evidence ?? [{ text: 'The EU imposed new sanctions on the exporters.', start: 0, end: 47, field: 'text', terms: ['sanction'] }],
    review: l.review ?? 'unreviewed',
    source: l.source ?? 'classifier',
    ...(l.direction ? { direction: l.direction } : {}),
  }));
  return {
    id: 'a1',
    canonicalUrl: 'https://news.example/a1',
    title: 'EU imposes new sanctions on drone exporters',
    byline: null,
    publishedAt: '2026-11-24T10:00:00.000Z',
    firstSeenAt: '2026-11-24T10:05:00.000Z',
    fetchedAt: '2026-11-24T10:05:01.000Z',
    lang: 'en',
    text: 'The European Union imposed new sanctions on three companies that export drone parts. Officials said the measures target supply chains.',
    html: null,
    summary: 'The EU imposed new sanctions.',
    extraction: { method: 'readability', confidence: 0.9, flags: [], fallbackReason: null },
    labels,
    relevance: 0.9,
    framework: 'fw-test',
    model: 'm-test',
    sightings: [{ feedId: 'feed-a', feedName: 'Outlet A', link: 'https://news.example/a1', guid: null, seenAt: '2026-11-24T10:05:00.000Z' }],
    trace: [],
    needsReview: false,
    updatedAt: '2026-11-24T10:05:02.000Z',
    ...rest,
  };
}
