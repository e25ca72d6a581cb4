/** Resolves `href` against `base`; only http(s) results are kept (no javascript:, data: or mailto: links). */
export function resolveUrl(href: string | null | undefined, base: string | null | undefined): string | null {
  const h = href?.trim();
  if (!h) return null;
  try {
    const url = base ? new URL(h, base) : new URL(h);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/** The base for a child element: its own xml:base resolved against the parent's base. */
export function childBase(xmlBase: string | null, parentBase: string | null): string | null {
  if (!xmlBase) return parentBase;
  try {
    return parentBase ? new URL(xmlBase, parentBase).toString() : new URL(xmlBase).toString();
  } catch {
    return parentBase;
  }
}

/** Relative `href`/`src` attributes inside an HTML fragment, resolved against `base` (feed content is shown out of its page). */
export function resolveRelativeMarkup(html: string | null, base: string | null): string | null {
  if (!html || !base) return html;
  return html.replace(/\b(href|src)=(["'])([^"']*)\2/gi, (whole, name: string, q: string, value: string) => {
    if (/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(value)) return whole;
    const abs = resolveUrl(value, base);
    return abs ? `${name}=${q}${abs}${q}` : whole;
  });
}
