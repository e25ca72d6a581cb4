import { describe, expect, it } from 'vitest';
import { loadFramework } from '../../../src/config/load-config.js';
import { frameworkFileSchema, wordsIn } from '../../../src/config/framework-schema.js';
import { ConfigError, formatProblem, parseYamlText, type ConfigProblem } from '../../../src/config/yaml-file.js';
import { frameworkFile } from '../classifiers/helpers.js';

function problemsOf(text: string): ConfigProblem[] {
  try {
    parseYamlText('framework.yaml', text, frameworkFileSchema);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

/** A two-label framework in English and German; `edit` breaks one thing in it. */
function framework(edit: (lines: string[]) => string[] = (l) => l): string {
  return edit([
    'name: Test',
    'languages: [en, de]',
    'scope:',
    '  description: The war.',
    '  anchors:',
    '    en: [Russia, Ukraine]',
    '    de: [Russland, Ukraine]',
    'groups:',
    '  - id: focus',
    '    name: Focus',
    'labels:',
    '  - id: targeted-sanctions',
    '    name: Targeted Sanctions',
    '    groups: [focus]',
    '    description: Sanctions.',
    '    terms:',
    '      en: [sanctions]',
    '      de: [Sanktionen]',
    '    phrases:',
    '      en: [sanctions package]',
    '      de: [Sanktionspaket]',
    '  - id: diplomatic-relations',
    '    name: Diplomatic Relations',
    '    groups: [focus]',
    '    description: Talks.',
    '    terms:',
    '      en: [ceasefire]',
    '      de: [Waffenruhe]',
    'extensions:',
    '  sanctionsDirection:',
    '    label: targeted-sanctions',
    '    cues:',
    '      imposed:',
    '        en: [imposed sanctions]',
    '        de: [verhängt Sanktionen]',
  ]).join('\n');
}

describe('framework vocabulary per language', () => {
  it('loads a framework whose every list is written in every listed language', () => {
    const fw = parseYamlText('framework.yaml', framework(), frameworkFileSchema);
    expect(fw.languages).toEqual(['en', 'de']);
    expect(wordsIn(fw.labels[0]?.terms, 'de')).toEqual(['Sanktionen']);
    expect(wordsIn(fw.extensions.sanctionsDirection?.cues.imposed, 'de')).toEqual(['verhängt Sanktionen']);
  });

  // The line is where the list's own entries begin (the existing config mechanism: the deepest node that exists).
  it('names file, line and field when a label has no vocabulary in a listed language', () => {
    const problems = problemsOf(framework((l) => l.filter((line) => line !== '      de: [Waffenruhe]')));
    expect(problems.map(formatProblem)).toEqual([
      'framework.yaml:27: labels[1].terms.de: label "diplomatic-relations" has no terms or phrases in "de" (languages: en, de)',
    ]);
  });

  it('names the missing language of the anchors and of the direction cues, each on its own line', () => {
    const problems = problemsOf(framework((l) => l.filter((line) => line !== '    de: [Russland, Ukraine]' && line !== '        de: [verhängt Sanktionen]')));
    expect(problems.map(formatProblem)).toEqual([
      'framework.yaml:6: scope.anchors.de: no "de" list (languages: en, de)',
      'framework.yaml:33: extensions.sanctionsDirection.cues.imposed.de: no "de" list (languages: en, de)',
    ]);
  });

  it('rejects a language the framework does not list and one framewatch cannot read', () => {
    const unlisted = problemsOf(framework((l) => [...l.slice(0, 18), '      fr: [sanctions]', ...l.slice(18)]));
    expect(unlisted.map(formatProblem)).toEqual(['framework.yaml:19: labels[0].terms.fr: "fr" is not in languages (en, de)']);
    const unsupported = problemsOf(framework((l) => l.map((line) => (line === 'languages: [en, de]' ? 'languages: [en, pl]' : line))));
    expect(unsupported[0]).toMatchObject({ line: 2, path: 'languages[1]' });
    expect(unsupported[0]?.message).toMatch(/en, uk, ru, de, fr/);
  });

  it('reads a plain list as English, so a framework written before languages still loads', () => {
    const old = ['name: Old', 'scope:', '  description: d', '  anchors: [Russia]', 'groups:', '  - id: g', '    name: G', 'labels:', '  - id: l', '    name: L', '    groups: [g]', '    description: d', '    terms: [sanctions]'];
    const fw = parseYamlText('framework.yaml', old.join('\n'), frameworkFileSchema);
    expect(fw.languages).toEqual(['en']);
    expect(fw.scope.anchors).toEqual({ en: ['Russia'] });
    expect(fw.labels[0]?.terms).toEqual({ en: ['sanctions'] });
  });

  it('reports a direction label that is not a framework label', () => {
    const problems = problemsOf(framework((l) => l.map((line) => (line === '    label: targeted-sanctions' ? '    label: sanctions' : line))));
    expect(problems.map(formatProblem)).toEqual(['framework.yaml:31: extensions.sanctionsDirection.label: unknown label "sanctions"']);
  });

  it('reports label anchors of an unknown label, and of a label missing a listed language', () => {
    const withLabelAnchors = (lines: string[]) => (l: string[]) => [...l.slice(0, 7), '  labelAnchors:', ...lines, ...l.slice(7)];
    const fine = parseYamlText('framework.yaml', framework(withLabelAnchors(['    targeted-sanctions:', '      en: [Europe]', '      de: [Europa]'])), frameworkFileSchema);
    expect(fine.scope.labelAnchors).toEqual({ 'targeted-sanctions': { en: ['Europe'], de: ['Europa'] } });
    const problems = problemsOf(framework(withLabelAnchors(['    cyber:', '      en: [Europe]', '      de: [Europa]', '    targeted-sanctions:', '      en: [Europe]'])));
    expect(problems.map(formatProblem)).toEqual([
      'framework.yaml:10: scope.labelAnchors.cyber: unknown label "cyber"',
      'framework.yaml:13: scope.labelAnchors.targeted-sanctions.de: no "de" list (languages: en, de)',
    ]);
  });

  it('ships every label, anchor list and cue list in en, uk, ru, de and fr', () => {
    const fw = loadFramework(frameworkFile);
    expect(fw.languages).toEqual(['en', 'uk', 'ru', 'de', 'fr']);
    for (const lang of fw.languages) {
      expect(wordsIn(fw.scope.anchors, lang).length, lang).toBeGreaterThan(20);
      expect(wordsIn(fw.scope.counterAnchors, lang).length, lang).toBeGreaterThan(10);
      for (const label of fw.labels) expect(wordsIn(label.terms, lang).length + wordsIn(label.phrases, lang).length, `${label.id} ${lang}`).toBeGreaterThan(10);
    }
  });
});
