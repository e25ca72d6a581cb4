import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { DESK_ASSETS_DIR, DESK_ASSETS_PREFIX, DESK_PAGE_HEADERS, deskShell, type DeskAssets } from '../desk-page.js';

/** The desk's pages: one HTML shell for the inbox, an article and the overview (its script draws them). */
export const DESK_PAGES = ['/', '/articles/:id', '/overview'] as const;

/**
 * The review desk's pages, mounted at the root behind the token or a session (a browser without one is
 * sent to the sign-in page). Each carries the session's CSRF token for the script's state-changing calls.
 */
export function deskPageRoutes(deps: { assets: DeskAssets | null }): FastifyPluginAsync {
  return async (app) => {
    for (const url of DESK_PAGES) {
      app.get(url, { schema: { hide: true }, config: { signInPage: true } }, async (req, reply) => {
        const csrfToken = req.session?.csrfToken ?? '';
        return reply
          .headers(DESK_PAGE_HEADERS)
          .type('text/html; charset=utf-8')
          .send(deskShell(deps.assets, { csrfToken, auth: req.session ? 'session' : 'open' }));
      });
    }
  };
}

/**
 * The desk's script and stylesheet under /desk/, public (they hold code, no data), pre-compressed (brotli
 * or gzip as the browser accepts) and cached for good: the pages ask for them with a content hash.
 */
export function deskAssetRoutes(dir = DESK_ASSETS_DIR): FastifyPluginAsync {
  return async (app) => {
    if (!existsSync(dir)) return;
    await app.register(fastifyStatic, {
      root: dir,
      prefix: DESK_ASSETS_PREFIX,
      decorateReply: false,
      preCompressed: true,
      index: false,
      maxAge: '365d',
      immutable: true,
      setHeaders: (reply) => void reply.header('x-content-type-options', 'nosniff'),
    });
  };
}
