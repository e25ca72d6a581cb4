import { describe, expect, it } from 'vitest';
import { signatureSimilarity, storySignature, storyWords, SIGNATURE_SIZE } from '../../../src/alerts/story-fingerprint.js';

const LEAD =
  'KYIV (AP) - Ukraine and Poland signed an agreement on Thursday to expand gas storage and pipeline capacity ahead of the winter, officials said, ' +
  'as Kyiv seeks to reduce its dependence on deliveries routed through neighbouring countries.';

describe('story fingerprint', () => {
  it('is deterministic and the size PostgreSQL stores', () => {
    const a = storySignature('Ukraine, Poland sign gas deal', LEAD);
    expect(a).toEqual(storySignature('Ukraine, Poland sign gas deal', LEAD));
    expect(a).toHaveLength(SIGNATURE_SIZE);
    expect(a.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)).toBe(true);
  });

  it('rates syndicated copies as the same story and unrelated articles as different', () => {
    const original = storySignature('Ukraine, Poland sign gas deal', LEAD);
    const copy = storySignature('Ukraine and Poland sign gas deal | Regional News', `${LEAD} Additional reporting by staff.`);
    const punctuation = storySignature('UKRAINE, POLAND SIGN GAS DEAL', LEAD.replace(/,/g, '').toUpperCase());
    const other = storySignature('Japan raises defence budget', 'TOKYO - Japan approved a record defence budget on Friday, including funds for long-range missiles and a new joint command headquarters.');
    expect(signatureSimilarity(original, copy)).toBeGreaterThan(0.7);
    expect(signatureSimilarity(original, punctuation)).toBe(1);
    expect(signatureSimilarity(original, other)).toBeLessThan(0.1);
  });

  it('looks only at the title and the lead: a different tail does not make a different story', () => {
    const tail1 = `${LEAD} ${'The agreement covers storage in western Ukraine. '.repeat(30)}`;
    const tail2 = `${LEAD} ${'Analysts said prices could fall in spring. '.repeat(30)}`;
    expect(signatureSimilarity(storySignature('Gas deal', tail1), storySignature('Gas deal', tail2))).toBeGreaterThan(0.6);
  });

  it('drops a word cut in half at the end of the lead', () => {
    const long = `${'word '.repeat(200)}`;
    expect(storyWords('T', long).length).toBeLessThan(long.split(' ').length);
    expect(storyWords('Title here', 'short text')).toEqual(['title', 'here', 'short', 'text']);
  });
});
