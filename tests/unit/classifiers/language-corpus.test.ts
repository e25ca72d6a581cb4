import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseLanguage } from '../../../src/classifiers/language.js';
import { isLang, SUPPORTED_LANGS, type Lang } from '../../../src/classifiers/text/lang.js';
import { splitSentences } from '../../../src/classifiers/text/sentences.js';
import { tokenize } from '../../../src/classifiers/text/tokenize.js';
import { repoRoot } from './helpers.js';

/** The project's real texts in the five languages (official sources; each line names its source and licence). */
interface CorpusText {
  id: string;
  lang: Lang;
  title: string;
  text: string;
}

function corpus(): CorpusText[] {
  const out: CorpusText[] = [];
  for (const set of ['holdout', 'training']) {
    for (const lang of SUPPORTED_LANGS) {
      for (const line of readFileSync(join(repoRoot, 'data', set, `texts-${lang}.jsonl`), 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const e = JSON.parse(line) as { id: string; lang: string; title?: string; text: string };
        if (!isLang(e.lang)) throw new Error(`${e.id}: lang ${e.lang}`);
        out.push({ id: e.id, lang: e.lang, title: e.title ?? '', text: e.text });
      }
    }
  }
  return out;
}

const texts = corpus();

describe('the language layer on the multilingual corpus', () => {
  it('has texts in every language', () => {
    for (const lang of SUPPORTED_LANGS) expect(texts.filter((t) => t.lang === lang).length, lang).toBeGreaterThanOrEqual(19);
  });

  it('finds every text\'s own language, with no declared language and with a wrong one', () => {
    const wrong: string[] = [];
    for (const t of texts) {
      for (const declared of [null, ...SUPPORTED_LANGS.filter((l) => l !== t.lang), 'pl']) {
        const c = chooseLanguage({ declared, title: t.title, text: t.text });
        if (!c.supported || c.lang !== t.lang) wrong.push(`${t.id} declared ${declared}: ${JSON.stringify(c)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('tokenises every text with offsets that slice whole words of the original', () => {
    const bad: string[] = [];
    const WORD = /^[\p{L}\p{M}\p{N}'ʼ’\u00AD\u200B-\u200D\u2060]+$/u;
    const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
    for (const t of texts) {
      const tokens = tokenize(t.text, t.lang);
      if (tokens.length < 20) bad.push(`${t.id}: ${tokens.length} tokens`);
      let last = -1;
      for (const tok of tokens) {
        const word = t.text.slice(tok.start, tok.end);
        // A whole word: word characters only, no word character just before (but an elided «l'») or after it.
        const before = t.text[tok.start - 1] ?? ' ';
        const whole = WORD.test(word) && (!WORD_CHAR.test(before) || /['ʼ’]/u.test(before)) && !WORD_CHAR.test(t.text[tok.end] ?? ' ');
        if (!whole || tok.start <= last) bad.push(`${t.id} @${tok.start}: ${JSON.stringify(t.text.slice(tok.start - 3, tok.end + 3))}`);
        last = tok.start;
      }
    }
    expect(bad).toEqual([]);
  });

  it('splits every text into ordered, trimmed, non-empty sentences', () => {
    for (const t of texts) {
      const spans = splitSentences(t.text, t.lang);
      expect(spans.length, t.id).toBeGreaterThan(0);
      let end = 0;
      for (const s of spans) {
        const sentence = t.text.slice(s.start, s.end);
        expect(s.start, t.id).toBeGreaterThanOrEqual(end);
        expect(sentence.trim(), t.id).toBe(sentence);
        expect(sentence.length, t.id).toBeGreaterThan(0);
        end = s.end;
      }
    }
  });
});
