/** Page metadata read from the DOM before Readability rewrites it. */
export interface PageMetadata {
  title: string | null;
  byline: string | null;
  publishedAt: string | null;
  modifiedAt: string | null;
  /** The page's declared language (`<html lang>`, content-language meta, JSON-LD inLanguage). */
  lang: string | null;
  siteName: string | null;
  canonicalUrl: string | null;
  leadImage: string | null;
  description: string | null;
}

type JsonObject = Record<string, unknown>;

/** Reads title, dates, authorship, language, site name, canonical URL and lead image from a page. */
export function readMetadata(doc: Document, pageUrl: string): PageMetadata {
  const ld = jsonLdArticle(doc);
  const metas = metaTags(doc);
  const meta = (...keys: string[]): string | null => {
    for (const key of keys) {
      const v = metas.get(key.toLowerCase());
      if (v) return v;
    }
    return null;
  };
  const timeEl = doc.querySelector('article time[datetime], time[datetime]');
  const canonical = doc.querySelector('link[rel~="canonical" i]')?.getAttribute('href') ?? meta('og:url');
  return {
    title: str(ld?.headline) ?? meta('og:title', 'twitter:title') ?? (doc.querySelector('title')?.textContent?.trim() || null),
    byline: authorName(ld?.author) ?? meta('author', 'article:author', 'parsely-author', 'dc.creator'),
    publishedAt: isoDate(
      str(ld?.datePublished) ??
        meta('article:published_time', 'datePublished', 'pubdate', 'publishdate', 'date', 'dc.date', 'parsely-pub-date') ??
        timeEl?.getAttribute('datetime') ??
        null,
    ),
    modifiedAt: isoDate(str(ld?.dateModified) ?? meta('article:modified_time', 'og:updated_time', 'dateModified', 'last-modified')),
    lang: normaliseLang(
      doc.documentElement?.getAttribute('lang') ?? doc.documentElement?.getAttribute('xml:lang') ?? meta('og:locale', 'content-language', 'language') ?? str(ld?.inLanguage),
    ),
    siteName: meta('og:site_name', 'application-name') ?? publisherName(ld?.publisher),
    canonicalUrl: absoluteUrl(canonical, pageUrl),
    leadImage: absoluteUrl(meta('og:image', 'og:image:url', 'twitter:image', 'twitter:image:src') ?? imageUrl(ld?.image), pageUrl),
    description: meta('og:description', 'description', 'twitter:description'),
  };
}

/**
 * `<meta>` values by lower-cased property / name / itemprop (first non-empty wins). One pass: a
 * selector per key costs ~20x more on linkedom.
 */
function metaTags(doc: Document): Map<string, string> {
  const out = new Map<string, string>();
  for (const el of doc.getElementsByTagName('meta')) {
    const content = el.getAttribute('content')?.trim();
    if (!content) continue;
    for (const attr of ['property', 'name', 'itemprop', 'http-equiv']) {
      const key = el.getAttribute(attr)?.trim().toLowerCase();
      if (key && !out.has(key)) out.set(key, content);
    }
  }
  return out;
}

/** The first JSON-LD object that looks like an article (walks arrays and `@graph`). */
function jsonLdArticle(doc: Document): JsonObject | null {
  const candidates: JsonObject[] = [];
  for (const script of doc.querySelectorAll('script[type="application/ld+json" i]')) {
    try {
      collect(JSON.parse(script.textContent ?? ''), candidates, 0);
    } catch {
      // Broken JSON-LD is common; the meta tags still apply.
    }
  }
  const isArticle = (o: JsonObject): boolean => {
    const types = ([] as unknown[]).concat(o['@type'] ?? []).map(String);
    return types.some((t) => /Article|Posting|Report|BlogPosting|NewsArticle/i.test(t));
  };
  return candidates.find(isArticle) ?? candidates.find((o) => 'datePublished' in o) ?? null;
}

function collect(value: unknown, out: JsonObject[], depth: number): void {
  if (depth > 5 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
    return;
  }
  const o = value as JsonObject;
  out.push(o);
  if (o['@graph']) collect(o['@graph'], out, depth + 1);
  if (o.mainEntity) collect(o.mainEntity, out, depth + 1);
}

function str(v: unknown): string | null {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (Array.isArray(v)) return str(v[0]);
  return null;
}

function authorName(v: unknown): string | null {
  const names = ([] as unknown[])
    .concat(v ?? [])
    .map((a) => (typeof a === 'string' ? a : a && typeof a === 'object' ? str((a as JsonObject).name) : null))
    .filter((n): n is string => !!n && !/^https?:/.test(n));
  return names.length ? [...new Set(names)].join(', ') : null;
}

function publisherName(v: unknown): string | null {
  const p = Array.isArray(v) ? v[0] : v;
  return p && typeof p === 'object' ? str((p as JsonObject).name) : str(p);
}

function imageUrl(v: unknown): string | null {
  const first = Array.isArray(v) ? v[0] : v;
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object') return str((first as JsonObject).url) ?? str((first as JsonObject).contentUrl);
  return null;
}

/** ISO 8601 in UTC, or null when the value is not a date. */
export function isoDate(v: string | null | undefined): string | null {
  if (!v) return null;
  const trimmed = v.trim();
  // Bare numbers are epoch seconds or milliseconds in some CMS meta tags.
  const n = /^\d{10,13}$/.test(trimmed) ? Number(trimmed) * (trimmed.length === 10 ? 1000 : 1) : NaN;
  const d = Number.isNaN(n) ? new Date(trimmed) : new Date(n);
  const t = d.getTime();
  // Dates before the web or far in the future are template defaults, not publication dates.
  if (Number.isNaN(t) || d.getUTCFullYear() < 1990 || d.getUTCFullYear() > 2100) return null;
  return d.toISOString();
}

/** `en-US` / `en_US` → `en-US`; `en` → `en`; junk → null. */
export function normaliseLang(v: string | null | undefined): string | null {
  const m = v?.trim().match(/^([a-z]{2,3})(?:[-_]([a-z0-9]{2,8}))?/i);
  if (!m || !m[1]) return null;
  return m[2] ? `${m[1].toLowerCase()}-${m[2].length === 2 ? m[2].toUpperCase() : m[2]}` : m[1].toLowerCase();
}

function absoluteUrl(v: string | null | undefined, base: string): string | null {
  if (!v?.trim()) return null;
  try {
    const u = new URL(v.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
