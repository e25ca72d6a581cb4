import { describe, expect, it } from 'vitest';
import { compileDirection, sanctionsDirection } from '../../../src/classifiers/direction.js';
import { analyse, matchDocument } from '../../../src/classifiers/document.js';
import { sentenceByModel, sentencesWithMatches } from '../../../src/classifiers/evidence.js';
import { readDataset } from '../../../src/classifiers/dataset.js';
import { compileLexicon } from '../../../src/classifiers/lexicon.js';
import { assessScope, highestRelevance, relevanceFor } from '../../../src/classifiers/scope-gate.js';
import { stem } from '../../../src/classifiers/text/stem.js';
import { repoFramework } from './helpers.js';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/service-process.js';

const framework = repoFramework();
const lexicon = compileLexicon(framework);

describe('scope relevance', () => {
  it('keeps a Ukraine report that mentions Iranian drones in context, and drops an Iran release that mentions Russia once', () => {
    const ukraine = assessScope(
      analyse({
        title: 'Russia launches Iranian-designed drones at Kyiv',
        text: 'Russia fired dozens of Iranian-designed Shahed drones at Kyiv overnight, Ukraine’s air force said. Ukrainian air defences shot down most of them, and Ukraine asked partners for more interceptors.',
      }),
      lexicon,
    );
    const iran = assessScope(
      analyse({
        title: 'Treasury targets Iran’s drone program',
        text: 'Treasury designated Iranian firms that supply Iran’s drone program. Iran has transferred drones to Russia. Tehran’s procurement network spans several countries, and Iranian officials evade controls.',
      }),
      lexicon,
    );
    expect(ukraine.relevance).toBeGreaterThan(0.6);
    expect(iran.relevance).toBeLessThan(0.3);
    expect(iran.counterAnchors.length).toBeGreaterThan(iran.anchors.length);
  });

  // Two real Commission texts from data/training/texts-de.jsonl: a recovery-fund payment to Greece (no label)
  // and the Joint Cyber Unit recommendation (cybersecurity). Both say «Europäische Union» throughout.
  it('lets Europe alone place a text in context for cybersecurity only (scope.labelAnchors)', () => {
    const lines = readDataset(join(REPO_ROOT, 'data', 'training', 'texts-de.jsonl'));
    const article = (id: string) => { const { title, text } = lines.find((l) => l.id === id)!; return { title, text }; };
    const de = compileLexicon(framework, 'de');
    const fund = assessScope(analyse({ ...article('de-t-074'), lang: 'de' }), de);
    const cyber = assessScope(analyse({ ...article('de-t-034'), lang: 'de' }), de);
    // The fund text is out of context for every label but cybersecurity, whose cues it does not have.
    expect(fund.relevance).toBeLessThan(0.3);
    expect(relevanceFor(fund, 'economic-support')).toBe(fund.relevance);
    expect(cyber.relevance).toBeLessThan(0.3);
    expect(relevanceFor(cyber, 'cybersecurity')).toBeGreaterThan(0.3);
    expect(highestRelevance(cyber)).toBe(relevanceFor(cyber, 'cybersecurity'));
    expect(relevanceFor(cyber, 'economic-support')).toBe(cyber.relevance);
  });

  it('gives relevance 0 to a text without any anchor', () => {
    expect(assessScope(analyse({ title: 'Volcano Watch', text: 'Aftershock forecasts help residents plan.' }), lexicon).relevance).toBe(0);
  });
});

describe('evidence sentences', () => {
  it('ranks the title and the sentence with most framework terms first, with exact offsets', () => {
    const input = { title: 'Ceasefire talks resume', text: 'Officials met in Geneva. Peace talks on a ceasefire resumed, and a peace deal was discussed. Weather was mild.' };
    const doc = analyse(input);
    const labelPatterns = lexicon.labels.flatMap((l) => l.patterns);
    const evidence = sentencesWithMatches(doc, matchDocument(doc, labelPatterns), 2);
    expect(evidence).toHaveLength(2);
    expect(evidence.map((e) => e.field)).toContain('title');
    const body = evidence.find((e) => e.field === 'text')!;
    expect(body.text).toBe('Peace talks on a ceasefire resumed, and a peace deal was discussed.');
    expect(input.text.slice(body.start, body.end)).toBe(body.text);
  });

  it('falls back to the sentence the model weighs most when no framework term matches', () => {
    const input = { title: 'Notes', text: 'Nothing here. The reactor project in Rivne advances quickly. Lunch followed.' };
    const weights = new Map([[stem('reactor'), 2], [stem('project'), 0.5]]);
    const [e] = sentenceByModel(analyse(input), (s) => weights.get(s));
    expect(e?.text).toBe('The reactor project in Rivne advances quickly.');
    expect(input.text.slice(e!.start, e!.end)).toBe(e!.text);
    expect(e?.terms).toEqual(['reactor', 'project']);
  });
});

describe('sanctions direction cues', () => {
  const rules = compileDirection(framework)!;
  const sanctionsPatterns = lexicon.labels.find((l) => l.id === rules.label)!.patterns;
  const direction = (text: string) => {
    const doc = analyse({ title: '', text });
    return sanctionsDirection(doc, rules, matchDocument(doc, sanctionsPatterns)).direction;
  };

  it('is unclear when the same text both adds and relieves sanctions', () => {
    expect(direction('The EU imposed new sanctions on Russian banks. It also lifted sanctions on a fertiliser firm and eased sanctions on food exports.')).toBe('unclear');
  });

  it('ignores cue words away from any sanctions sentence', () => {
    expect(direction('Talks continued on the ceasefire. Officials hoped to ease tensions.')).toBe('unclear');
  });

  it('tells lifted from eased', () => {
    expect(direction('Washington lifted sanctions on the airline and lifted sanctions on its executives.')).toBe('lifted');
  });
});

describe('sanctions direction in news wording', () => {
  const rules = compileDirection(framework)!;
  const sanctionsPatterns = lexicon.labels.find((l) => l.id === rules.label)!.patterns;
  const direction = (text: string) => {
    const doc = analyse({ title: '', text });
    return sanctionsDirection(doc, rules, matchDocument(doc, sanctionsPatterns)).direction;
  };

  it('reads a new round of sanctions as imposed and a waiver as eased', () => {
    expect(direction('Britain slapped a new round of sanctions on Russian oil traders on Tuesday.')).toBe('imposed');
    expect(direction('Washington granted a sanctions waiver to let payments for Russian gas continue.')).toBe('eased');
  });

  it('reads secondary sanctions as tightened', () => {
    expect(direction('The Treasury threatened secondary sanctions on banks that help Russia evade sanctions, broadening the sanctions regime.')).toBe('tightened');
  });
});
