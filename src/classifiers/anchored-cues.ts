import { wordsIn, type Framework, type Language } from '../config/framework-schema.js';
import { matchDocument, sentenceIndexAt, type AnalysedDocument, type PlacedMatch } from './document.js';
import { compilePatterns, type Pattern } from './patterns.js';

/** One label's anchoring rule, compiled. `cues: null` means the label's own framework patterns. */
export interface AnchoredRule {
  entities: Pattern[];
  cues: Pattern[] | null;
  /** The label's own terms and phrases are cues as well as `cues`. */
  labelTerms: boolean;
}

/**
 * The anchoring rules of a framework in one language, by label id (empty when it defines none).
 * `extensions.anchoredCues` of framework.yaml gives, per label, the named actors its language must be tied
 * to (`entities`) and, optionally, the cues that must appear beside them (`cues`; default: the label's own
 * terms and phrases; `labelTerms: true` adds those to `cues`). Cues listed only here count only beside an
 * entity. "Weapons" in a sentence naming Ukraine is military aid to Ukraine; "weapons" in an arms-trade
 * statistic is not. "Joint statement" beside G7/NATO/EU is a joint position of a named body; "allies and
 * partners" alone is not.
 */
export function compileAnchoredCues(framework: Framework, lang: Language = 'en'): Map<string, AnchoredRule> {
  const out = new Map<string, AnchoredRule>();
  for (const [label, rule] of Object.entries(framework.extensions.anchoredCues ?? {})) {
    // Entities are names, matched tightly; cues are phrases that writers vary.
    out.set(label, {
      entities: compilePatterns(wordsIn(rule.entities, lang), 'term', lang),
      cues: rule.cues ? compilePatterns(wordsIn(rule.cues, lang), 'phrase', lang) : null,
      labelTerms: rule.labelTerms,
    });
  }
  return out;
}

/**
 * Weighted count of cue matches that share a sentence with an entity match, the two not being the same
 * words (a cue cannot anchor itself). Title and lead weights apply as for any framework match. The matches
 * used are returned too, for evidence.
 */
export function anchoredMatches(doc: AnalysedDocument, rule: AnchoredRule, labelMatches: readonly PlacedMatch[]): PlacedMatch[] {
  const entities = matchDocument(doc, rule.entities);
  if (entities.length === 0) return [];
  const bySentence = new Map<string, PlacedMatch[]>();
  for (const e of entities) {
    const key = sentenceKey(doc, e);
    const list = bySentence.get(key);
    if (list) list.push(e);
    else bySentence.set(key, [e]);
  }
  const cues = rule.cues ? [...(rule.labelTerms ? labelMatches : []), ...matchDocument(doc, rule.cues)] : labelMatches;
  return cues.filter((c) => (bySentence.get(sentenceKey(doc, c)) ?? []).some((e) => e.lastToken < c.firstToken || e.firstToken > c.lastToken));
}

function sentenceKey(doc: AnalysedDocument, m: PlacedMatch): string {
  return `${m.field}:${sentenceIndexAt(m.field === 'title' ? doc.title : doc.text, m.start)}`;
}
