import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Settings } from '../config/settings-schema.js';
import type { Logger } from '../obs/logger.js';
import { InvalidCursorError } from '../store/cursor.js';
import { ReviewError } from '../store/record-review.js';
import { accessControl, accessOf, redactTokenInUrl, routesWithAccess, type RouteAccess } from './auth.js';
import { registerOpenApi } from './openapi.js';
import type { SessionStore } from './sessions.js';
import { refuseNulCharacters } from './zod-validation.js';

export interface HttpAppOptions {
  logger: Logger;
  /** Bearer token for `/api/*` and `/feeds/*`; null leaves them open. */
  apiToken: string | null;
  settings: Settings['api'];
  /** Base URL clients reach the API at (links in JSON Feeds, `servers` in OpenAPI). */
  publicUrl: string;
  /** Mounted under `/api` (articles, review, stats, framework, feeds, deliveries): the token or a browser session. */
  apiRoutes: FastifyPluginAsync[];
  /**
   * Mounted at the root without a token: the probes (/healthz, /readyz, /metrics), the sign-in page and
   * the review desk's static files; the only routes marked public.
   */
  publicRoutes: FastifyPluginAsync[];
  /** Mounted at the root behind the token or a browser session (the review desk's pages, sign-out). */
  sessionRoutes?: FastifyPluginAsync[];
  /** Browser sessions made by the sign-in page; null or absent: only the bearer token is accepted. */
  sessions?: SessionStore | null;
  /** Mounted under `/feeds` behind the token, which may also come as `?token=` (JSON Feed subscriptions). */
  subscriptionRoutes?: FastifyPluginAsync[];
  /** Version shown in the OpenAPI document. */
  version?: string;
}

/**
 * The HTTP server: rate limit (429 with Retry-After), body limit (413), bearer token in constant time,
 * uniform JSON errors (400 names the bad parameter), OpenAPI at `/openapi.json`. Not yet listening.
 */
export async function buildHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.settings.bodyLimitBytes,
    // Requests are logged once on completion below, with any ?token= masked.
    logController: new LogController({ disableRequestLogging: true }),
    // On shutdown, keep-alive clients must not hold the process open.
    forceCloseConnections: true,
    // Behind a reverse proxy (api.trustProxy): req.protocol and req.ip come from X-Forwarded-Proto/-For.
    trustProxy: options.settings.trustProxy,
  });
  if (options.apiToken === null) options.logger.warn('FRAMEWATCH_API_TOKEN is not set: /api and /feeds are open to anyone who can reach the port');

  await app.register(rateLimit, { global: true, max: options.settings.rateLimitPerMinute, timeWindow: 60_000 });
  // @fastify/rate-limit attaches its check to each route as it is added; the token check is attached the
  // same way after it, so refused tokens are counted against the limit too (no free guessing). The check
  // reads the access the matched route declares, so every route, however its path is spelled in the
  // request, is behind the token unless it was registered as public.
  const checkAccess = accessControl({ apiToken: options.apiToken, sessions: options.sessions ?? null, trustedOrigins: [new URL(options.publicUrl).origin] });
  app.decorateRequest('session', null);
  app.addHook('onRoute', (route) => {
    const existing = route.onRequest ? (Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]) : [];
    route.onRequest = [...existing, checkAccess];
  });
  // Before any route's own validation: no parameter anywhere may carry a NUL (400 naming it, not a 500).
  app.addHook('preValidation', refuseNulCharacters);
  app.addHook('onResponse', async (req, reply) => {
    // Probes and scrapes arrive every few seconds: only at debug, so info logs show what people asked.
    const level = accessOf(req) !== 'public' || reply.statusCode >= 400 ? 'info' : 'debug';
    req.log[level]({ method: req.method, url: redactTokenInUrl(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    if (err instanceof InvalidCursorError) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: `cursor: ${err.message}`, parameter: 'cursor' });
    if (err instanceof ReviewError) {
      const parameter = `verdicts.${err.index}.label`;
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: `${parameter}: ${err.message}`, parameter });
    }
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err, url: redactTokenInUrl(req.url) }, 'request failed');
      return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
    }
    const parameter = (err as { parameter?: string }).parameter ?? ajvParameter(err);
    return reply.code(status).send({ statusCode: status, error: httpErrorName(status), message: err.message, ...(parameter ? { parameter } : {}) });
  });
  app.setNotFoundHandler(async (req, reply) =>
    reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${req.method} ${redactTokenInUrl(req.url).split('?')[0]}` }),
  );

  registerOpenApi(app, { title: 'framewatch', version: options.version ?? '0.1.0', publicUrl: options.publicUrl });
  await registerWithAccess(app, options.publicRoutes, 'public', '');
  await registerWithAccess(app, options.apiRoutes, 'token-or-session', '/api');
  await registerWithAccess(app, options.sessionRoutes ?? [], 'token-or-session', '');
  await registerWithAccess(app, options.subscriptionRoutes ?? [], 'token-or-query', '/feeds');
  return app;
}

/** Registers route plugins under a prefix in a scope that marks each of their routes with one access level. */
async function registerWithAccess(app: FastifyInstance, plugins: FastifyPluginAsync[], access: RouteAccess, prefix: string): Promise<void> {
  await app.register(
    async (scope) => {
      scope.addHook('onRoute', routesWithAccess(access));
      for (const routes of plugins) await scope.register(routes);
    },
    { prefix },
  );
}

/** For routes validated by fastify's JSON Schema (ajv): the offending field, as our zod routes name it. */
function ajvParameter(err: FastifyError): string | undefined {
  const first = err.validation?.[0];
  if (!first) return undefined;
  const params = first.params as { missingProperty?: string; additionalProperty?: string };
  const path = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const leaf = params.missingProperty ?? params.additionalProperty;
  return [path, leaf].filter(Boolean).join('.') || err.validationContext;
}

function httpErrorName(status: number): string {
  const names: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests' };
  return names[status] ?? 'Error';
}
