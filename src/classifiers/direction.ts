import { SANCTIONS_DIRECTIONS as DIRECTIONS, wordsIn, type Framework, type Language, type SanctionsDirectionCue } from '../config/framework-schema.js';
import type { LabelEvidence, SanctionsDirection } from '../domain/types.js';
import { matchDocument, sentenceIndexAt, type AnalysedDocument, type PlacedMatch } from './document.js';
import { sentencesWithMatches } from './evidence.js';
import { compilePatterns, type Pattern } from './patterns.js';

/** `extensions.sanctionsDirection` of framework.yaml in one language: the label that carries a direction, and its cues. */
export interface DirectionRules {
  label: string;
  cues: Record<SanctionsDirectionCue, Pattern[]>;
}

/** The direction rules of a framework in one language, or null when it defines none. */
export function compileDirection(framework: Framework, lang: Language = 'en'): DirectionRules | null {
  const config = framework.extensions.sanctionsDirection;
  if (config === undefined) return null;
  const cues = Object.fromEntries(DIRECTIONS.map((d) => [d, compilePatterns(wordsIn(config.cues[d], lang), 'phrase', lang)])) as DirectionRules['cues'];
  return { label: config.label, cues };
}

// One side must outweigh the other clearly; a release that announces new designations while easing a
// licence is "unclear" rather than a coin toss.
const DOMINANCE = 2;

/**
 * Which way the sanctions news goes: restrictive cues (imposed, tightened) against relief cues (eased,
 * lifted), counted in the sentences that carry the label's own evidence or the title.
 */
export function sanctionsDirection(doc: AnalysedDocument, rules: DirectionRules, labelMatches: readonly PlacedMatch[]): { direction: SanctionsDirection; evidence: LabelEvidence[] } {
  const near = new Set(labelMatches.map((m) => `${m.field}:${sentenceKey(doc, m)}`));
  const totals = { imposed: 0, tightened: 0, eased: 0, lifted: 0 };
  const used: PlacedMatch[] = [];
  for (const d of DIRECTIONS) {
    for (const m of matchDocument(doc, rules.cues[d])) {
      if (m.field !== 'title' && !near.has(`${m.field}:${sentenceKey(doc, m)}`)) continue;
      totals[d] += m.pattern.weight * m.positionWeight;
      used.push(m);
    }
  }
  const restrict = totals.imposed + totals.tightened;
  const relief = totals.eased + totals.lifted;
  let direction: SanctionsDirection = 'unclear';
  if (restrict > 0 && restrict >= DOMINANCE * relief) direction = totals.tightened > totals.imposed ? 'tightened' : 'imposed';
  else if (relief > 0 && relief >= DOMINANCE * restrict) direction = totals.lifted > totals.eased ? 'lifted' : 'eased';
  return { direction, evidence: sentencesWithMatches(doc, used) };
}

function sentenceKey(doc: AnalysedDocument, m: PlacedMatch): number {
  return sentenceIndexAt(m.field === 'title' ? doc.title : doc.text, m.start);
}
