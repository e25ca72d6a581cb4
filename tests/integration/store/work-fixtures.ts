import type { AppliedLabel, ArticleWork, Classification, ExtractedArticle } from '../../../src/domain/types.js';

/** Builds a label with one evidence sentence taken from `text` (offsets are real). */
export function label(id: string, score: number, groups: string[], text = '', extra: Partial<AppliedLabel> = {}): AppliedLabel {
  const sentence = text.split('. ')[0] ?? '';
  return {
    id,
    score,
    groups,
    evidence: sentence ? [{ text: sentence, start: 0, end: sentence.length, field: 'text', terms: [id.split('-')[0] ?? id] }] : [],
    ...extra,
  };
}

export function classification(labels: AppliedLabel[], model = 'model-a'): Classification {
  return { labels, relevance: 0.8, framework: 'fw-test', model };
}

export function extracted(text: string, extra: Partial<ExtractedArticle> = {}): ExtractedArticle {
  return {
    text,
    html: `<p>${text}</p>`,
    title: null,
    byline: 'A. Reporter',
    publishedAt: null,
    modifiedAt: null,
    lang: 'en',
    siteName: null,
    canonicalUrl: null,
    leadImage: null,
    wordCount: text.split(/\s+/).length,
    method: 'readability',
    confidence: 0.9,
    flags: [],
    fallbackReason: null,
    ...extra,
  };
}

/** A working document as the pipeline hands it to the store stage. */
export function work(id: string, options: { title?: string; text?: string; feed?: string; publishedAt?: string; firstSeenAt?: string; labels?: AppliedLabel[]; lang?: string } = {}): ArticleWork {
  const feed = options.feed ?? 'feed-1';
  const firstSeenAt = options.firstSeenAt ?? '2026-11-20T10:00:00.000Z';
  const text = options.text ?? `Article ${id} text about sanctions and energy.`;
  return {
    id,
    canonicalUrl: `https://news.example/${id}`,
    item: {
      guid: `guid-${id}`,
      link: `https://news.example/${id}?utm=feed`,
      title: options.title ?? `Title ${id}`,
      publishedAt: options.publishedAt ?? firstSeenAt,
      summary: `Summary of ${id}`,
      contentHtml: null,
      author: null,
      categories: [],
      enclosures: [],
    },
    sightings: [{ feedId: feed, feedName: `Feed ${feed}`, link: `https://news.example/${id}?from=${feed}`, guid: `guid-${id}`, seenAt: firstSeenAt }],
    firstSeenAt,
    extracted: extracted(text, options.lang ? { lang: options.lang } : {}),
    classification: classification(options.labels ?? []),
    trace: [
      { stage: 'poll', at: firstSeenAt, durationMs: 5, outcome: 'ok' },
      { stage: 'extract', at: firstSeenAt, durationMs: 40, outcome: 'ok' },
      { stage: 'classify', at: firstSeenAt, durationMs: 3, outcome: 'ok' },
    ],
  };
}
