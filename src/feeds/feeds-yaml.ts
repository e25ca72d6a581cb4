import { isMap, isScalar, isSeq, parseDocument, stringify, type Document } from 'yaml';
import { feedIdFor, feedsFileSchema } from '../config/feeds-schema.js';
import type { OpmlFeed } from './opml.js';

export interface MergeResult {
  text: string;
  added: OpmlFeed[];
  /** Already configured (same URL or same id). */
  skipped: OpmlFeed[];
}

/** A scalar as YAML writes it on one line (quoted only when it must be). */
const scalar = (value: string): string => stringify(value, { lineWidth: 0 }).trimEnd();

/** One new entry, as a person would write it: flow tags (`tags: [a, b]`), `indent` before its dash. */
function entryText(feed: OpmlFeed, indent: string): string {
  const lines = [`${indent}- url: ${scalar(feed.url)}`];
  if (feed.name) lines.push(`${indent}  name: ${scalar(feed.name)}`);
  if (feed.tags.length > 0) lines.push(`${indent}  tags: ${stringify(feed.tags, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trimEnd()}`);
  return `${lines.join('\n')}\n`;
}

/** The start of the line holding `offset`, and the text before it on that line. */
function columnOf(text: string, offset: number): string {
  return text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
}

/** Offset just past the end of the line holding `offset` (the text's end when it is the last line). */
function afterLine(text: string, offset: number): number {
  const eol = text.indexOf('\n', offset);
  return eol === -1 ? text.length : eol + 1;
}

/**
 * The file's text with the entries added and nothing else changed: the new entries are spliced in as
 * text after the last existing one (same indentation), so comments, quoting, flow lists such as
 * `tags: [a, b]` and blank lines stay byte for byte and a diff shows only the added lines. Null when the
 * list has a shape this does not handle (a flow list with entries), where the document is re-serialised.
 */
function spliceEntries(text: string, doc: Document, added: OpmlFeed[]): string | null {
  const withNewline = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  if (text.trim() === '') return `feeds:\n${added.map((f) => entryText(f, '  ')).join('')}`;
  if (!isMap(doc.contents)) return null;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'feeds');
  if (!pair) return `${withNewline}feeds:\n${added.map((f) => entryText(f, '  ')).join('')}`;
  const value = pair.value;
  const keyRange = isScalar(pair.key) ? pair.key.range : null;
  if (!keyRange) return null;
  // `feeds:` with no value, or `feeds: []`: the entries go on the lines after the key.
  if (value === null || (isScalar(value) && value.value === null) || (isSeq(value) && value.flow && value.items.length === 0)) {
    const block = added.map((f) => entryText(f, '  ')).join('');
    if (isSeq(value) && value.range) {
      const [start, end] = value.range;
      // Drop `[]` (and the space before it), keep a comment after it on the key's line.
      const before = text.slice(0, start).replace(/[ \t]+$/, '');
      const rest = text.slice(end);
      const eol = rest.indexOf('\n');
      const lineRest = eol === -1 ? rest : rest.slice(0, eol);
      const after = eol === -1 ? '' : rest.slice(eol + 1);
      return `${before}${lineRest.trimEnd() ? ` ${lineRest.trim()}` : ''}\n${block}${after}`;
    }
    const at = afterLine(withNewline, keyRange[1]);
    return `${withNewline.slice(0, at)}${block}${withNewline.slice(at)}`;
  }
  if (!isSeq(value) || value.flow || !value.range) return null;
  const indent = columnOf(withNewline, value.range[0]);
  if (indent.trim() !== '') return null;
  const last = value.items.at(-1) as { range?: [number, number, number] } | undefined;
  const at = afterLine(withNewline, last?.range ? Math.max(last.range[1] - 1, 0) : value.range[0]);
  return `${withNewline.slice(0, at)}${added.map((f) => entryText(f, indent)).join('')}${withNewline.slice(at)}`;
}

/**
 * Adds feeds to the text of a feeds.yaml, keeping everything already there (comments, order, formatting):
 * only the new entries are written. The result is validated with the same schema the service loads it
 * with; an invalid result throws instead of being written.
 */
export function mergeFeedsYaml(existing: string, feeds: OpmlFeed[]): MergeResult {
  const doc = parseDocument(existing.trim() === '' ? 'feeds: []\n' : existing);
  if (doc.errors.length > 0) throw new Error(`feeds file is not valid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`);
  if (!isMap(doc.contents)) throw new Error('feeds file must be a mapping with a "feeds:" list');
  const list = doc.get('feeds');
  const known = new Set<string>();
  for (const entry of isSeq(list) ? list.items : []) {
    if (!isMap(entry)) continue;
    const url = entry.get('url');
    const id = entry.get('id');
    if (typeof url === 'string') {
      known.add(url);
      if (URL.canParse(url)) known.add(feedIdFor(url));
    }
    if (typeof id === 'string') known.add(id);
  }
  const added: OpmlFeed[] = [];
  const skipped: OpmlFeed[] = [];
  for (const feed of feeds) {
    if (known.has(feed.url) || known.has(feedIdFor(feed.url))) {
      skipped.push(feed);
      continue;
    }
    known.add(feed.url);
    known.add(feedIdFor(feed.url));
    added.push(feed);
  }
  if (added.length === 0) return { text: existing, added, skipped };
  const text = spliceEntries(existing, parseDocument(existing), added) ?? reserialised(doc, added);
  const check = feedsFileSchema.safeParse(parseDocument(text).toJS());
  if (!check.success) throw new Error(`merged feeds file would be invalid: ${check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { text, added, skipped };
}

/** The fallback: add the entries to the document and print it whole (flow lists keep their spacing). */
function reserialised(doc: Document, added: OpmlFeed[]): string {
  const list = doc.get('feeds', true);
  if (!isSeq(list)) throw new Error('feeds file: "feeds:" must be a list');
  list.flow = false;
  for (const feed of added) list.add(doc.createNode({ url: feed.url, ...(feed.name ? { name: feed.name } : {}), ...(feed.tags.length > 0 ? { tags: feed.tags } : {}) }));
  return doc.toString({ flowCollectionPadding: false });
}
