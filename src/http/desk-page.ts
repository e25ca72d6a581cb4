import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `web/desk/build.mjs` writes the bundle: the same from src/http and from dist/http. */
export const DESK_ASSETS_DIR = fileURLToPath(new URL('../../web/desk/dist', import.meta.url));

/** URL prefix of the desk's static files. */
export const DESK_ASSETS_PREFIX = '/desk/';

/** The desk's script and stylesheet URLs, each with a content hash so they can be cached for good. */
export interface DeskAssets {
  script: string;
  stylesheet: string;
}

/** The built bundle's URLs, or null when the desk was not built (then the pages say how to build it). */
export function loadDeskAssets(dir = DESK_ASSETS_DIR): DeskAssets | null {
  const url = (file: string): string | null => {
    const path = join(dir, file);
    if (!existsSync(path)) return null;
    const hash = createHash('sha256').update(readFileSync(path)).digest('base64url').slice(0, 12);
    return `${DESK_ASSETS_PREFIX}${file}?v=${hash}`;
  };
  const script = url('desk.js');
  const stylesheet = url('desk.css');
  return script && stylesheet ? { script, stylesheet } : null;
}

/**
 * Headers of every desk page: scripts and styles only from this origin (an injected `<script>` or
 * `onerror=` would not run even if it reached the DOM), no framing, no referrer to the sites it links to.
 */
export const DESK_PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  // Same-origin requests keep their Origin (a form post under no-referrer says `Origin: null`).
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
} as const;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, assets: DeskAssets | null, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
${assets ? `<link rel="stylesheet" href="${escapeHtml(assets.stylesheet)}">` : ''}
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * The desk's one HTML page (inbox, article and overview are drawn by its script). `csrfToken` is the
 * session's, read by the script for its state-changing requests; `auth` says whether there is a session
 * to sign out of.
 */
export function deskShell(assets: DeskAssets | null, options: { csrfToken: string; auth: 'session' | 'open' }): string {
  if (!assets) {
    return page('framewatch review desk', null, '', '<main><h1>The review desk is not built</h1><p>Run <code>npm run build:desk</code> (it runs by itself at <code>npm ci</code>).</p></main>');
  }
  return page(
    'framewatch review desk',
    assets,
    `<meta name="csrf-token" content="${escapeHtml(options.csrfToken)}">
<meta name="fw-auth" content="${options.auth}">
<script type="module" src="${escapeHtml(assets.script)}"></script>`,
    '<div id="app"><noscript><p>The review desk needs JavaScript. The same data is in the JSON API under /api.</p></noscript></div>',
  );
}

/** The sign-in form: a plain HTML form (works without the script), posting the API token once. */
export function signInPage(assets: DeskAssets | null, options: { next: string; error?: string }): string {
  return page(
    'Sign in · framewatch',
    assets,
    '',
    `<main class="sign-in">
<h1>framewatch review desk</h1>
<form method="post" action="/sign-in">
<input type="hidden" name="next" value="${escapeHtml(options.next)}">
<div class="field">
<label for="token">API token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus${options.error ? ' aria-invalid="true" aria-describedby="sign-in-error"' : ''}>
</div>
${options.error ? `<p id="sign-in-error" class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<button type="submit">Sign in</button>
</form>
<p class="hint">The token is <code>FRAMEWATCH_API_TOKEN</code> of this server. Signing in keeps a session in this browser until you sign out or it goes unused for a while.</p>
</main>`,
  );
}
