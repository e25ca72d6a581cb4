/**
 * Checks a document against the JSON Feed 1.1 spec (https://www.jsonfeed.org/version/1.1/): required fields,
 * field types, and that every other key is either a spec field or an extension (`_` then a letter).
 * Returns the problems found.
 */
export function jsonFeedProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  const feedKeys = new Set(['version', 'title', 'home_page_url', 'feed_url', 'description', 'user_comment', 'next_url', 'icon', 'favicon', 'authors', 'language', 'expired', 'hubs', 'items']);
  const itemKeys = new Set(['id', 'url', 'external_url', 'title', 'content_html', 'content_text', 'summary', 'image', 'banner_image', 'date_published', 'date_modified', 'authors', 'tags', 'language', 'attachments']);
  const extension = /^_[A-Za-z]/;
  if (!isObj(doc)) return ['feed is not an object'];
  if (doc.version !== 'https://jsonfeed.org/version/1.1') problems.push('version must be https://jsonfeed.org/version/1.1');
  if (typeof doc.title !== 'string') problems.push('title is required');
  if (!Array.isArray(doc.items)) problems.push('items is required');
  for (const key of ['home_page_url', 'feed_url', 'next_url', 'description'] as const) {
    if (doc[key] !== undefined && typeof doc[key] !== 'string') problems.push(`${key} must be a string`);
  }
  for (const key of Object.keys(doc)) if (!feedKeys.has(key) && !extension.test(key)) problems.push(`unknown feed key ${key}`);
  for (const [i, item] of (Array.isArray(doc.items) ? doc.items : []).entries()) {
    if (!isObj(item)) {
      problems.push(`items[${i}] is not an object`);
      continue;
    }
    if (typeof item.id !== 'string' || item.id === '') problems.push(`items[${i}].id is required`);
    if (typeof item.content_html !== 'string' && typeof item.content_text !== 'string') problems.push(`items[${i}] needs content_html or content_text`);
    for (const key of ['date_published', 'date_modified'] as const) {
      if (item[key] !== undefined && !(typeof item[key] === 'string' && rfc3339.test(item[key]))) problems.push(`items[${i}].${key} must be RFC 3339`);
    }
    if (item.tags !== undefined && !(Array.isArray(item.tags) && item.tags.every((t) => typeof t === 'string'))) problems.push(`items[${i}].tags must be strings`);
    if (item.authors !== undefined && !(Array.isArray(item.authors) && item.authors.every(isObj))) problems.push(`items[${i}].authors must be objects`);
    for (const key of ['url', 'external_url', 'title', 'summary', 'language'] as const) {
      if (item[key] !== undefined && typeof item[key] !== 'string') problems.push(`items[${i}].${key} must be a string`);
    }
    for (const key of Object.keys(item)) if (!itemKeys.has(key) && !extension.test(key)) problems.push(`unknown item key ${key}`);
  }
  return problems;
}
