import { matchDocument, weightedCount, type AnalysedDocument, type PlacedMatch } from './document.js';
import type { Lexicon } from './lexicon.js';

/** How far a text sits inside the framework's context, and the matches that say so. */
export interface ScopeAssessment {
  /** 0..1 */
  relevance: number;
  anchors: PlacedMatch[];
  counterAnchors: PlacedMatch[];
  /** Relevance for a label with anchors of its own (`scope.labelAnchors`), counting those too. */
  byLabel: Map<string, number>;
}

/** The relevance that decides whether `labelId` may apply. */
export function relevanceFor(scope: ScopeAssessment, labelId: string): number {
  return scope.byLabel.get(labelId) ?? scope.relevance;
}

/** The highest relevance of any label: below the cut-off, no label can apply. */
export function highestRelevance(scope: ScopeAssessment): number {
  return Math.max(scope.relevance, ...scope.byLabel.values());
}

// Saturation of the anchor evidence: about three weighted mentions of Russia/Ukraine/NATO make a text
// clearly in context (1 - e^-1 ≈ 0.63 at three, 0.86 at six).
const ANCHOR_SATURATION = 3;

function relevanceOf(anchorWeight: number, counterWeight: number): number {
  return anchorWeight === 0 ? 0 : (1 - Math.exp(-anchorWeight / ANCHOR_SATURATION)) * (anchorWeight / (anchorWeight + counterWeight));
}

/**
 * The context rule as a score: anchors (Russia, Ukraine, NATO, …) raise relevance with diminishing returns;
 * signals of other contexts (Iran, doping, …) lower it by the share of the context evidence they take, so
 * a Ukraine report that mentions Iranian drones stays relevant while an Iran release that mentions Russia
 * once does not. A label with anchors of its own (`scope.labelAnchors`) gets a relevance of its own too.
 */
export function assessScope(doc: AnalysedDocument, lexicon: Lexicon): ScopeAssessment {
  const anchors = matchDocument(doc, lexicon.anchors);
  const counterAnchors = matchDocument(doc, lexicon.counterAnchors);
  const a = weightedCount(anchors);
  const c = weightedCount(counterAnchors);
  const byLabel = new Map<string, number>();
  for (const [id, patterns] of lexicon.labelAnchors) byLabel.set(id, relevanceOf(a + weightedCount(matchDocument(doc, patterns)), c));
  return { relevance: relevanceOf(a, c), anchors, counterAnchors, byLabel };
}
