/**
 * "Is this the same story?" for alerts: a MinHash signature of word 3-shingles over an article's title and
 * lead. Outlets that run the same wire copy, or rewrite its first paragraph lightly, share most shingles;
 * unrelated articles on the same topic share few. Signatures are stored with each alert so every worker
 * compares against the same history.
 */

/** 64 hash functions: the similarity estimate's standard error is about sqrt(J(1-J)/64) ≤ 0.0625. */
export const SIGNATURE_SIZE = 64;
/** Characters of body text taken as the lead after the title. */
const LEAD_CHARS = 600;
const SHINGLE = 3;

const SEEDS: number[] = Array.from({ length: SIGNATURE_SIZE }, (_, i) => mix32(0x9e3779b9 ^ Math.imul(i + 1, 0x85ebca6b)));

/** The words of the title and lead, lower-cased, letters and digits only. */
export function storyWords(title: string, text: string | null): string[] {
  const lead = (text ?? '').slice(0, LEAD_CHARS);
  // The last word of a cut lead may be a fragment; drop it when the text was cut.
  const words = `${title} ${lead}`.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if ((text ?? '').length > LEAD_CHARS && words.length > 0) words.pop();
  return words;
}

/** MinHash signature (signed 32-bit integers, as PostgreSQL `integer[]` stores them). */
export function storySignature(title: string, text: string | null): number[] {
  const words = storyWords(title, text);
  const shingles = new Set<string>();
  if (words.length < SHINGLE) shingles.add(words.join(' '));
  else for (let i = 0; i + SHINGLE <= words.length; i++) shingles.add(words.slice(i, i + SHINGLE).join(' '));
  const sig = new Array<number>(SIGNATURE_SIZE).fill(0x7fffffff);
  for (const s of shingles) {
    const base = fnv1a(s);
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const h = mix32(base ^ (SEEDS[i] as number)) | 0;
      if (h < (sig[i] as number)) sig[i] = h;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity of the two shingle sets: the share of positions where the minima agree. */
export function signatureSimilarity(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let same = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) same++;
  return same / n;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's finaliser: spreads every input bit over the output. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
