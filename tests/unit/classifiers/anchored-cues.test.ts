import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/classifiers/document.js';
import { readSignals } from '../../../src/classifiers/feature-space.js';
import { compileLexicon, compilePatterns, indexStems, matchPatterns } from '../../../src/classifiers/lexicon.js';
import { tokenize } from '../../../src/classifiers/text/tokenize.js';
import { repoFramework } from './helpers.js';

const lexicon = compileLexicon(repoFramework());

/** The anchored matches of `label` in an article, as the words they cover. */
function anchored(label: string, title: string, text: string): string[] {
  const signals = readSignals(analyse({ title, text }), lexicon);
  return (signals.anchored.get(label) ?? []).map((m) => (m.field === 'title' ? title : text).slice(m.start, m.end));
}

describe('entity-anchored cues', () => {
  it('counts military-aid terms only in sentences that name Ukraine', () => {
    expect(anchored('military-collaboration', '', 'The Pentagon will send more artillery ammunition to Ukraine this month.')).toContain('ammunition');
    expect(anchored('military-collaboration', '', 'Arms sales of artillery ammunition rose by 3 percent. Ukraine was not discussed at the trade fair.')).toEqual([]);
  });

  it('counts weapon systems listed only as anchored cues beside Ukraine, never as plain terms', () => {
    const text = 'Poland will buy more Abrams tanks for its own army. Germany will deliver Leopard tanks to Ukraine.';
    expect(anchored('military-collaboration', '', text)).toEqual(['Leopard']);
    const plain = readSignals(analyse({ title: '', text }), lexicon).matches.get('military-collaboration') ?? [];
    expect(plain.map((m) => text.slice(m.start, m.end))).not.toContain('Abrams');
  });

  it('needs a named body beside a joint-action cue for multilateral coordination, not "allies and partners"', () => {
    expect(anchored('multilateral-coordination', '', 'G7 finance ministers issued a joint statement on the price cap.').length).toBeGreaterThan(0);
    expect(anchored('multilateral-coordination', '', 'We will keep working with like-minded countries on this issue.')).toEqual([]);
  });

  it('does not let a word anchor itself', () => {
    // "Allies" is both an entity and a cue; alone it is no evidence of a joint instrument.
    expect(anchored('multilateral-coordination', '', 'Allies.')).toEqual([]);
  });
});

describe('phrase gaps', () => {
  const match = (phrase: string, text: string): string[] => {
    const tokens = tokenize(text);
    return matchPatterns(tokens, indexStems(tokens), compilePatterns([phrase], 'phrase')).map((m) => text.slice(m.start, m.end));
  };

  it('does not count function words toward the gap', () => {
    expect(match('provide security assistance', 'efforts to provide security and other forms of assistance to Ukraine')).toEqual([
      'provide security and other forms of assistance',
    ]);
  });

  it('keeps the direction a phrase\'s preposition gives it', () => {
    expect(match('drones for Ukraine', 'Russia fired drones and missiles overnight at Ukraine')).toEqual([]);
    expect(match('drones for Ukraine', 'Britain pledged more drones to Ukraine')).toEqual(['drones to Ukraine']);
    expect(match('sanctions on Russia', 'new sanctions against Russia')).toEqual(['sanctions against Russia']);
  });

  it('keeps two-word phrases tight', () => {
    expect(match('weapons to Ukraine', 'withdraw heavy weapons from the line of contact in eastern Ukraine')).toEqual([]);
    expect(match('weapons to Ukraine', 'more weapons for the army of Ukraine')).toEqual(['weapons for the army of Ukraine']);
  });
});
