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
