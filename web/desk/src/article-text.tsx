import type { ComponentChildren } from 'preact';
import { segmentText, type Highlight } from './highlight.js';
import type { LabelStyle } from './labels.js';
import type { StoredLabel } from './types.js';

/** Every highlight of one field (`text` or `title`): evidence per label, then sanctions-direction evidence. */
export function highlightsOf(labels: StoredLabel[], field: 'text' | 'title'): Highlight[] {
  const out: Highlight[] = [];
  for (const label of labels) {
    label.evidence.filter((ev) => ev.field === field).forEach((ev, n) => out.push({ start: ev.start, end: ev.end, label: label.id, kind: 'evidence', text: ev.text, n }));
    (label.directionEvidence ?? []).filter((ev) => ev.field === field).forEach((ev, n) => out.push({ start: ev.start, end: ev.end, label: label.id, kind: 'direction', text: ev.text, n }));
  }
  return out;
}

/** The id of the first run of a label's n-th evidence in a field: the target of the label list and of `e`. */
export function evidenceId(label: string, n: number, field: 'text' | 'title' = 'text'): string {
  return field === 'text' ? `ev-${label}-${n}` : `ev-${label}-${n}-title`;
}

/**
 * A feed's text with each label's evidence marked at its stored offsets, one colour per label. Text is
 * rendered as text nodes (never as HTML), so whatever a feed put in it shows as written. Where evidence of
 * several labels overlaps, the run is drawn in the first label's colour and names them all.
 */
export function HighlightedText({ source, labels, field, styleOf }: { source: string; labels: StoredLabel[]; field: 'text' | 'title'; styleOf: (id: string) => LabelStyle }) {
  const { segments } = segmentText(source, highlightsOf(labels, field));
  const started = new Set<string>();
  const out: ComponentChildren[] = [];
  for (const seg of segments) {
    if (seg.highlights.length === 0) {
      out.push(seg.text);
      continue;
    }
    const evidence = seg.highlights.filter((h) => h.kind === 'evidence');
    const main = evidence[0] ?? seg.highlights[0]!;
    // The first run of an evidence carries its id (the first one not yet started, when runs overlap).
    let id: string | undefined;
    for (const h of evidence) {
      const key = `${h.label}/${h.n}`;
      if (started.has(key)) continue;
      started.add(key);
      id ??= evidenceId(h.label, h.n, field);
    }
    const labelIds = [...new Set(seg.highlights.map((h) => h.label))];
    const names = [...new Set(seg.highlights.map((h) => `${styleOf(h.label).name}${h.kind === 'direction' ? ' (sanctions direction)' : ''}`))];
    const cls = ['ev', styleOf(main.label).cls, evidence.length === 0 ? 'dir' : '', labelIds.length > 1 ? 'multi' : ''].filter(Boolean).join(' ');
    out.push(
      <mark
        key={seg.start}
        id={id}
        tabIndex={id || evidence.length > 0 ? -1 : undefined}
        class={cls}
        data-label={main.label}
        data-evidence={evidence.map((h) => `${h.label}/${h.n}`).join(' ') || undefined}
        title={names.join(', ')}
      >
        {seg.text}
      </mark>,
    );
  }
  return <>{out}</>;
}
