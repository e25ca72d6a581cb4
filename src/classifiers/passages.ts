import { sentenceIndexAt, type AnalysedDocument, type PlacedMatch } from './document.js';
import { lexiconStrength } from './features.js';

// A passage is up to three consecutive sentences (lines, list items and table rows are sentences of their
// own): about a short paragraph, the unit the dev README calls substantive.
const WINDOW = 3;
// In-scope passages saturate: three passages tying a topic to the framework's context make it a topic of
// the text (1 - e^-1.5 ≈ 0.78 at three).
const SCOPED_SATURATION = 2;

/** How strongly one label's framework cues gather in one place of the text, and whether that place is in context. */
export interface PassageFigures {
  /** Cue strength of the label's strongest passage (title alone, or a window of sentences). */
  peak: number;
  /** Saturating count of sentences with the label's cues beside a scope anchor (same or next sentence). */
  inScope: number;
  /** Cue strength of the strongest sentence whose cues are tied to one of the label's actors. */
  anchoredPeak: number;
}

/** Sentence indexes of the text field that hold at least one of these matches. */
export function textSentences(doc: AnalysedDocument, matches: readonly PlacedMatch[]): Set<number> {
  const out = new Set<number>();
  for (const m of matches) if (m.field === 'text') out.add(sentenceIndexAt(doc.text, m.start));
  return out;
}

/**
 * Passage-level figures of one label. They read only where framework cues sit, never which words they
 * are, so they mean the same in every language the framework's vocabulary covers. A whole-text figure
 * drowns a paragraph on a second topic in a long readout; the strongest passage does not.
 */
export function passageFigures(doc: AnalysedDocument, matches: readonly PlacedMatch[], anchored: readonly PlacedMatch[], anchorSentences: ReadonlySet<number>, titleAnchored: boolean): PassageFigures {
  const n = doc.text.sentences.length;
  const perSentence = new Float64Array(n);
  let title = 0;
  for (const m of matches) {
    if (m.field === 'title') title += m.pattern.weight;
    else {
      const s = sentenceIndexAt(doc.text, m.start);
      if (s >= 0) perSentence[s]! += m.pattern.weight;
    }
  }
  let peak = title;
  let window = 0;
  let scoped = title > 0 && titleAnchored ? 1 : 0;
  for (let s = 0; s < n; s++) {
    window += perSentence[s] as number;
    if (s >= WINDOW) window -= perSentence[s - WINDOW] as number;
    if (window > peak) peak = window;
    if ((perSentence[s] as number) > 0 && (anchorSentences.has(s) || anchorSentences.has(s - 1) || anchorSentences.has(s + 1))) scoped++;
  }
  const anchoredPer = new Map<string, number>();
  for (const m of anchored) {
    const key = m.field === 'title' ? 'title' : String(sentenceIndexAt(doc.text, m.start));
    anchoredPer.set(key, (anchoredPer.get(key) ?? 0) + m.pattern.weight);
  }
  const anchoredPeak = Math.max(0, ...anchoredPer.values());
  return { peak: lexiconStrength(peak), inScope: 1 - Math.exp(-scoped / SCOPED_SATURATION), anchoredPeak: lexiconStrength(anchoredPeak) };
}
