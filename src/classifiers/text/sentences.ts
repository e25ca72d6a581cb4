/** A sentence (or list item / line) of a text, `text.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

// Ends a sentence: . ! ? followed by space and a capital, digit or quote; or a line break. Abbreviations such
// as "U.S. President" and "Gen. Smith" are kept together by the short-word check below.
const BOUNDARY = /([.!?]["'”’)]?)\s+(?=["'“‘(]?[\p{Lu}\p{N}])|\n+/gu;
const ABBREVIATION = /(?:\b[\p{L}]|\b(?:Mr|Ms|Mrs|Dr|Gen|Sen|Rep|Lt|Col|Gov|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|Co|vs|approx|U\.S|U\.K|E\.O))\.$/u;

/** Splits text into trimmed sentence spans with offsets into the original string. */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    const cut = m.index + (m[1]?.length ?? 0);
    if (m[1] && ABBREVIATION.test(text.slice(Math.max(from, cut - 8), cut))) continue;
    push(spans, text, from, cut);
    from = m.index + m[0].length;
  }
  push(spans, text, from, text.length);
  return spans;
}

function push(spans: Span[], text: string, start: number, end: number): void {
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  if (end > start) spans.push({ start, end });
}
