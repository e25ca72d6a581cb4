import { once } from 'node:events';
import type { ArticleRecord } from '../../domain/types.js';
import { withSanitizedHtml } from '../../extract/safe-html.js';
import { toJsonFeedItem } from '../../http/json-feed.js';

export type ResultsFormat = 'json' | 'jsonl' | 'jsonfeed' | 'csv';
export const RESULTS_FORMATS: ResultsFormat[] = ['json', 'jsonl', 'jsonfeed', 'csv'];

const CSV_COLUMNS = ['id', 'published_at', 'first_seen_at', 'title', 'url', 'lang', 'labels', 'groups', 'top_score', 'review', 'feeds', 'extraction', 'framework', 'model'];

/** RFC 4180 quoting; a leading = + - @ is defused so spreadsheets do not run a title as a formula. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(a: ArticleRecord): string {
  const labels = a.labels.filter((l) => l.review !== 'rejected');
  return [
    a.id,
    a.publishedAt,
    a.firstSeenAt,
    a.title,
    a.canonicalUrl,
    a.lang,
    labels.map((l) => `${l.id}:${l.score.toFixed(3)}`).join(' '),
    [...new Set(labels.flatMap((l) => l.groups))].join(' '),
    labels.length ? labels.reduce((max, l) => Math.max(max, l.score), Number.NEGATIVE_INFINITY) : null,
    a.labels.map((l) => `${l.id}:${l.review}`).join(' '),
    a.sightings.map((s) => s.feedName).join(' | '),
    a.extraction?.method ?? null,
    a.framework,
    a.model,
  ]
    .map(csvCell)
    .join(',');
}

/**
 * Writes records one at a time in the chosen format, waiting for the stream to drain, so an export of any
 * size runs in constant memory. `onItem` is called after each record (progress).
 */
export async function writeResults(
  records: AsyncIterable<ArticleRecord>,
  out: NodeJS.WritableStream,
  options: { format: ResultsFormat; publicUrl: string; title?: string; onItem?: (n: number) => void },
): Promise<number> {
  // A reader that goes away (`| head`) makes the stream emit 'error' (EPIPE); it is rethrown at the next
  // write instead of crashing the process as an unhandled event.
  let failed: Error | null = null;
  const onError = (err: Error): void => {
    failed ??= err;
  };
  out.on('error', onError);
  const write = async (chunk: string): Promise<void> => {
    if (failed) throw failed;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  try {
    return await writeAll(records, options, write);
  } finally {
    out.off('error', onError);
  }
}

async function writeAll(
  records: AsyncIterable<ArticleRecord>,
  options: { format: ResultsFormat; publicUrl: string; title?: string; onItem?: (n: number) => void },
  write: (chunk: string) => Promise<void>,
): Promise<number> {
  const { format } = options;
  let n = 0;
  if (format === 'csv') await write(`${CSV_COLUMNS.join(',')}\r\n`);
  if (format === 'json') await write('[');
  if (format === 'jsonfeed') {
    const head = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: options.title ?? 'framewatch results', home_page_url: options.publicUrl, items: [] });
    // The document up to and including the items array's opening bracket; items are streamed into it.
    await write(head.slice(0, -2));
  }
  for await (const record of records) {
    const sep = n > 0 ? ',' : '';
    if (format === 'jsonl') await write(`${JSON.stringify(withSanitizedHtml(record))}\n`);
    else if (format === 'json') await write(`${sep}\n${JSON.stringify(withSanitizedHtml(record))}`);
    else if (format === 'jsonfeed') await write(`${sep}\n${JSON.stringify(toJsonFeedItem(record, options.publicUrl))}`);
    else await write(`${csvRow(record)}\r\n`);
    n += 1;
    options.onItem?.(n);
  }
  if (format === 'json') await write(n > 0 ? '\n]\n' : ']\n');
  if (format === 'jsonfeed') await write(n > 0 ? '\n]}\n' : ']}\n');
  return n;
}
