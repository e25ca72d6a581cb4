import { describe, expect, it } from 'vitest';
import { indexStems, matchPatterns, compilePatterns } from '../../../src/classifiers/lexicon.js';
import { splitSentences } from '../../../src/classifiers/text/sentences.js';
import { tokenize } from '../../../src/classifiers/text/tokenize.js';

describe('tokenize', () => {
  it('stems words and keeps their offsets into the text', () => {
    const text = 'Sanctions were EASED on Russia’s banks.';
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.stem)).toEqual(['sanction', 'were', 'eas', 'on', 'russia', 's', 'bank']);
    for (const t of tokens) expect(text.slice(t.start, t.end).toLowerCase()).toMatch(/^[a-z’]+$/);
    expect(text.slice(tokens[2]!.start, tokens[2]!.end)).toBe('EASED');
  });
});

describe('splitSentences', () => {
  it('splits on sentence ends and line breaks but not after U.S. or initials', () => {
    const text = 'The U.S. Department of State said so. Gen. Smith agreed!\nA new line follows';
    const spans = splitSentences(text).map((s) => text.slice(s.start, s.end));
    expect(spans).toEqual(['The U.S. Department of State said so.', 'Gen. Smith agreed!', 'A new line follows']);
  });
});

describe('phrase matching', () => {
  const match = (phrase: string, text: string) => {
    const tokens = tokenize(text);
    return matchPatterns(tokens, indexStems(tokens), compilePatterns([phrase], 'phrase')).map((m) => text.slice(m.start, m.end));
  };

  it('matches stemmed phrases with a few words between (proximity)', () => {
    expect(match('sanctions on Russia', 'The EU imposed sanctions today on Russia.')).toEqual(['sanctions today on Russia']);
    expect(match('easing of sanctions', 'Washington is easing its sanctions')).toEqual(['easing its sanctions']);
  });

  it('does not match when the words are too far apart or out of order', () => {
    expect(match('sanctions on Russia', 'sanctions were discussed at length by many officials before Russia')).toEqual([]);
    expect(match('sanctions on Russia', 'Russia answered the sanctions')).toEqual([]);
  });
});
