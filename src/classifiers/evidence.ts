import type { LabelEvidence } from '../domain/types.js';
import { sentenceIndexAt, type AnalysedDocument, type FieldView, type PlacedMatch } from './document.js';
import type { Span } from './text/sentences.js';

// Three sentences show why a label applies without repeating the article.
const MAX_EVIDENCE = 3;

/** The sentence of `f` that contains character `at`, or null. */
function sentenceAt(f: FieldView, at: number): Span | null {
  return f.sentences[sentenceIndexAt(f, at)] ?? null;
}

/**
 * Groups matches into the sentences that hold them and ranks those sentences by the weight of their matches
 * (title and lead count more). Each item is exactly `source.slice(start, end)` of its field.
 */
export function sentencesWithMatches(doc: AnalysedDocument, matches: readonly PlacedMatch[], limit = MAX_EVIDENCE): LabelEvidence[] {
  const bySentence = new Map<string, { field: FieldView; span: Span; weight: number; terms: Set<string> }>();
  for (const m of matches) {
    const f = m.field === 'title' ? doc.title : doc.text;
    const span = sentenceAt(f, m.start);
    if (!span) continue;
    const key = `${f.field}:${span.start}`;
    const entry = bySentence.get(key) ?? { field: f, span, weight: 0, terms: new Set<string>() };
    entry.weight += m.pattern.weight * m.positionWeight;
    entry.terms.add(m.pattern.text);
    bySentence.set(key, entry);
  }
  return [...bySentence.values()]
    .sort((a, b) => b.weight - a.weight || (a.field.field === 'title' ? -1 : 1) - (b.field.field === 'title' ? -1 : 1) || a.span.start - b.span.start)
    .slice(0, limit)
    .map((e) => toEvidence(e.field, e.span, [...e.terms]));
}

export function toEvidence(f: FieldView, span: Span, terms: string[]): LabelEvidence {
  return { text: f.source.slice(span.start, span.end), start: span.start, end: span.end, field: f.field, terms };
}

/**
 * When no framework term supports a label, the sentence whose words the model weighs most for it.
 * `weightOf` gives the model's weight for a stem n-gram (undefined when unknown).
 */
export function sentenceByModel(doc: AnalysedDocument, weightOf: (stem: string) => number | undefined): LabelEvidence[] {
  let best: { f: FieldView; span: Span; score: number; terms: string[] } | null = null;
  for (const f of [doc.title, doc.text]) {
    let ti = 0;
    for (const span of f.sentences) {
      let score = 0;
      const terms: { w: number; word: string }[] = [];
      while (ti < f.tokens.length && (f.tokens[ti]?.start ?? Infinity) < span.end) {
        const t = f.tokens[ti++];
        if (!t || t.stop) continue;
        const w = weightOf(t.stem);
        if (w !== undefined && w > 0) {
          score += w;
          terms.push({ w, word: f.source.slice(t.start, t.end) });
        }
      }
      if (!best || score > best.score) best = { f, span, score, terms: terms.sort((a, b) => b.w - a.w).slice(0, 4).map((x) => x.word) };
    }
  }
  return best && best.score > 0 ? [toEvidence(best.f, best.span, best.terms)] : [];
}
