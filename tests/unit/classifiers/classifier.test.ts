import { beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier } from '../../../src/classifiers/load-classifier.js';
import { readDataset } from '../../../src/classifiers/dataset.js';
import type { Classifier, Classification, LabelEvidence } from '../../../src/domain/types.js';
import { classifyArticle } from '../../../src/pipeline/classify.js';
import { dev, devDataset, repoFramework } from './helpers.js';

let classifier: Classifier;
beforeAll(async () => {
  classifier = await loadClassifier(repoFramework());
});

const ids = (c: Classification): string[] => c.labels.map((l) => l.id);

function expectEvidenceOffsets(input: { title: string; text: string }, evidence: LabelEvidence[]): void {
  for (const e of evidence) {
    const source = e.field === 'title' ? input.title : input.text;
    expect(source.slice(e.start, e.end)).toBe(e.text);
    expect(e.text.length).toBeGreaterThan(0);
  }
}

describe('evidence', () => {
  const input = {
    title: 'Treasury Imposes New Sanctions on Russia',
    text:
      'WASHINGTON — The U.S. Department of the Treasury today imposed new sanctions on Russia, designating 40 banks ' +
      'and energy firms that fund the Kremlin’s war against Ukraine.\n\nThe G7 partners coordinated the measures. ' +
      'Officials said the export controls would tighten pressure on Moscow.',
  };

  it('points every evidence item at the exact substring of the title or text it quotes', () => {
    const result = classifyArticle(input, classifier);
    expect(result.labels.length).toBeGreaterThan(0);
    for (const label of result.labels) {
      expect(label.evidence.length).toBeGreaterThan(0);
      expectEvidenceOffsets(input, label.evidence);
      expectEvidenceOffsets(input, label.directionEvidence ?? []);
    }
  });

  it('names the matched framework terms, which occur in the quoted sentence', () => {
    const sanctions = classifyArticle(input, classifier).labels.find((l) => l.direction !== undefined);
    expect(sanctions).toBeDefined();
    const first = sanctions!.evidence[0]!;
    expect(first.terms.length).toBeGreaterThan(0);
    expect(first.text.toLowerCase()).toContain('sanction');
    expect(sanctions!.features!.length).toBeGreaterThan(0);
  });

  it.skipIf(!dev.present)('holds for every label given to the dev set texts', () => {
    for (const e of readDataset(devDataset)) {
      for (const label of classifier.classify(e).labels) expectEvidenceOffsets(e, label.evidence);
    }
  });

  it('carries scores in [0,1], the groups from the framework and both versions', () => {
    const fw = repoFramework();
    const result = classifier.classify(input);
    expect(result.framework).toBe(fw.version);
    expect(result.model).toMatch(/^m-[0-9a-f]{12}$/);
    expect(result.relevance).toBeGreaterThan(0.5);
    for (const l of result.labels) {
      expect(l.score).toBeGreaterThanOrEqual(0);
      expect(l.score).toBeLessThanOrEqual(1);
      expect(l.groups).toEqual(fw.labels.find((x) => x.id === l.id)!.groups);
    }
  });
});

describe('scope gate: the same words in another context get no label', () => {
  const sanctions = (target: string, adjective: string) => ({
    title: `Treasury Expands Sanctions on ${target}'s Oil Sector`,
    text:
      `Today, the United States is expanding sanctions on ${target}'s petroleum and petrochemical sectors. This action ` +
      `intensifies financial pressure on ${target}, limiting the ${adjective} regime's ability to earn energy revenues. ` +
      `Treasury designated 16 entities and identified 17 vessels as blocked property, and imposed export controls and an ` +
      `asset freeze on ${adjective} officials.`,
  });

  it('labels sanctions on Russia but not the same release about Iran', () => {
    const russia = classifier.classify(sanctions('Russia', 'Russian'));
    const iran = classifier.classify(sanctions('Iran', 'Iranian'));
    expect(ids(russia).length).toBeGreaterThan(0);
    expect(iran.labels).toEqual([]);
    expect(iran.relevance).toBeLessThan(russia.relevance);
  });

  it('does not label an arms sale to Taiwan', () => {
    const r = classifier.classify({
      title: 'State Department Approves Possible Foreign Military Sale to Taiwan',
      text:
        'The State Department has made a determination approving a possible Foreign Military Sale to the Taipei Economic and ' +
        'Cultural Representative Office in the United States for air defense missiles, munitions and training. The proposed ' +
        'sale will improve the recipient’s capability to meet current and future threats and will help maintain security.',
    });
    expect(r.labels).toEqual([]);
  });

  it('does not label ransomware against a US hospital', () => {
    const r = classifier.classify({
      title: 'Ransomware Attack Disrupts Hospital Systems in Ohio',
      text:
        'A ransomware gang encrypted the networks of a hospital system in Ohio, forcing ambulances to be diverted. CISA and the ' +
        'FBI shared threat intelligence and urged healthcare providers to patch systems and protect critical infrastructure ' +
        'against cyber attacks.',
    });
    expect(r.labels).toEqual([]);
  });

  it('does not label doping sanctions on Russian athletes', () => {
    const r = classifier.classify({
      title: 'Anti-Doping Sanctions Keep Russia Out of the Olympics',
      text:
        'The World Anti-Doping Agency upheld sanctions on Russia’s anti-doping agency, barring Russian athletes from competing ' +
        'under their flag at the Olympics. The doping sanctions follow the manipulation of laboratory data, and Olympic ' +
        'officials said athletes may compete as neutrals.',
    });
    expect(r.labels).toEqual([]);
  });

  it('labels Russian cyberattacks on Ukraine’s infrastructure', () => {
    const r = classifier.classify({
      title: 'Russian Hackers Target Ukraine’s Power Grid',
      text:
        'Ukraine’s CERT-UA warned of a new wave of Russian cyberattacks against Ukrainian energy companies and critical ' +
        'infrastructure. The United States and EU partners are sharing threat intelligence and supporting Ukraine’s cyber defense.',
    });
    expect(r.relevance).toBeGreaterThan(0.5);
    expect(r.labels.length).toBeGreaterThan(0);
  });
});

describe('sanctions direction', () => {
  const direction = (title: string, text: string) => classifier.classify({ title, text }).labels.find((l) => l.direction !== undefined);

  it('reads eased sanctions as eased, with the sentence that says so', () => {
    const l = direction(
      'Western Powers Ease Sanctions on Russia',
      'Western powers moved to ease sanctions on Russia this week. The easing of sanctions on Russian banks and the relaxation ' +
        'of sanctions on fertiliser exports mark a shift in policy toward Moscow, officials said.',
    );
    expect(l?.direction).toBe('eased');
    expect(l!.directionEvidence!.some((e) => /eas/i.test(e.text))).toBe(true);
  });

  it('reads new designations as imposed', () => {
    const l = direction(
      'Treasury Imposes Sanctions on Russia’s Military-Industrial Base',
      'The Treasury Department imposed sanctions on more than 100 Russian companies today. The new sanctions on Russia target ' +
        'suppliers of the Kremlin’s war machine, and the sanctions designations block their assets.',
    );
    expect(l?.direction).toBe('imposed');
  });
});
