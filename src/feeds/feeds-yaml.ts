import { isMap, isSeq, parseDocument, YAMLSeq } from 'yaml';
import { feedIdFor, feedsFileSchema } from '../config/feeds-schema.js';
import type { OpmlFeed } from './opml.js';

export interface MergeResult {
  text: string;
  added: OpmlFeed[];
  /** Already configured (same URL or same id). */
  skipped: OpmlFeed[];
}

/**
 * Adds feeds to the text of a feeds.yaml, keeping everything already there (comments, order, formatting)
 * by editing the YAML document rather than re-serialising data. The result is validated with the same
 * schema the service loads it with; an invalid result throws instead of being written.
 */
export function mergeFeedsYaml(existing: string, feeds: OpmlFeed[]): MergeResult {
  const doc = parseDocument(existing.trim() === '' ? 'feeds: []\n' : existing);
  if (doc.errors.length > 0) throw new Error(`feeds file is not valid YAML: ${doc.errors[0]?.message ?? ''}`);
  if (!isMap(doc.contents)) throw new Error('feeds file must be a mapping with a "feeds:" list');
  let list = doc.get('feeds');
  if (!isSeq(list)) {
    list = new YAMLSeq();
    doc.set('feeds', list);
  }
  const seq = list as YAMLSeq;
  // A flow-style empty list (`feeds: []`) would keep new entries on one line; block style reads better.
  seq.flow = false;
  const known = new Set<string>();
  for (const entry of seq.items) {
    if (!isMap(entry)) continue;
    const url = entry.get('url');
    const id = entry.get('id');
    if (typeof url === 'string') {
      known.add(url);
      known.add(feedIdFor(url));
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
    const entry: Record<string, unknown> = { url: feed.url };
    if (feed.name) entry.name = feed.name;
    if (feed.tags.length > 0) entry.tags = feed.tags;
    seq.add(doc.createNode(entry));
    added.push(feed);
  }
  const text = doc.toString();
  const check = feedsFileSchema.safeParse(parseDocument(text).toJS());
  if (!check.success) throw new Error(`merged feeds file would be invalid: ${check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { text, added, skipped };
}
