/** One highlight to draw over a text: a label's evidence (or sanctions-direction evidence) at stored offsets. */
export interface Highlight {
  start: number;
  end: number;
  label: string;
  kind: 'evidence' | 'direction';
  /** The highlight's place among its label's highlights of this kind in this field. */
  n: number;
  /** The evidence's own text: a highlight whose offsets no longer select it is left out, not misplaced. */
  text: string;
}

/** A run of the text with the highlights covering all of it (none for plain text). */
export interface Segment {
  start: number;
  end: number;
  text: string;
  highlights: Highlight[];
}

/**
 * Cuts `source` at every highlight boundary, so overlapping evidence of several labels is drawn as runs
 * each carrying every label that covers it. Offsets are UTF-16 code units, as the classifier stored them
 * (`source.slice(start, end) === text`). Returns the segments and the highlights that did not fit.
 */
export function segmentText(source: string, highlights: Highlight[]): { segments: Segment[]; skipped: Highlight[] } {
  const usable: Highlight[] = [];
  const skipped: Highlight[] = [];
  for (const h of highlights) {
    const fits = Number.isInteger(h.start) && Number.isInteger(h.end) && h.start >= 0 && h.end <= source.length && h.start < h.end && source.slice(h.start, h.end) === h.text;
    (fits ? usable : skipped).push(h);
  }
  const cuts = new Set<number>([0, source.length]);
  for (const h of usable) {
    cuts.add(h.start);
    cuts.add(h.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    if (start === end) continue;
    segments.push({ start, end, text: source.slice(start, end), highlights: usable.filter((h) => h.start <= start && h.end >= end) });
  }
  return { segments, skipped };
}
