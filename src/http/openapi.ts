import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import type { RouteAccess } from './auth.js';

declare module 'fastify' {
  /** Documentation fields routes may put beside their schemas; only the OpenAPI document reads them. */
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
    operationId?: string;
    /** Leave the route out of the OpenAPI document. */
    hide?: boolean;
  }
}

interface CollectedRoute {
  method: string;
  url: string;
  schema: Record<string, unknown>;
  /** Read when the document is built: scopes mark their routes' access in onRoute hooks that run after this one. */
  access: () => RouteAccess;
}

type JsonSchema = Record<string, unknown>;

/** A route schema part as JSON Schema: zod schemas converted (request side as input), others taken as they are. */
function toJsonSchema(schema: unknown, io: 'input' | 'output'): JsonSchema | null {
  if (schema === undefined || schema === null) return null;
  if (schema instanceof z.ZodType) {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
    return rest;
  }
  return schema as JsonSchema;
}

/** An object schema's properties as OpenAPI parameters (`in: query` or `in: path`). */
function parametersOf(schema: JsonSchema | null, where: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
      // Repeatable parameters (`?label=a&label=b`): form style, exploded.
      ...(where === 'query' && acceptsArray(rest) ? { style: 'form', explode: true } : {}),
    };
  });
}

function acceptsArray(schema: JsonSchema): boolean {
  return schema.type === 'array' || (Array.isArray(schema.anyOf) && (schema.anyOf as JsonSchema[]).some((s) => s.type === 'array'));
}

function operationOf(route: CollectedRoute): JsonSchema {
  const s = route.schema;
  const op: JsonSchema = {};
  for (const key of ['summary', 'description', 'tags', 'operationId'] as const) if (s[key] !== undefined) op[key] = s[key];
  const parameters = [...parametersOf(toJsonSchema(s.params, 'input'), 'path'), ...parametersOf(toJsonSchema(s.querystring, 'input'), 'query')];
  if (parameters.length) op.parameters = parameters;
  const body = toJsonSchema(s.body, 'input');
  if (body) op.requestBody = { required: true, content: { 'application/json': { schema: body } } };
  const responses: Record<string, JsonSchema> = {};
  const declared = (s.response ?? {}) as Record<string, unknown>;
  for (const [status, schema] of Object.entries(declared)) {
    responses[status] = { description: status.startsWith('2') ? 'OK' : 'Error', content: { 'application/json': { schema: toJsonSchema(schema, 'output') } } };
  }
  if (!responses['200'] && !responses['201']) responses['200'] = { description: 'OK' };
  op.responses = responses;
  const access = route.access();
  if (access === 'token-or-session') op.security = [{ bearer: [] }, { session: [] }];
  else if (access !== 'public') op.security = [{ bearer: [] }];
  return op;
}

/**
 * Records every route as it is added and serves them as OpenAPI 3.1 at `/openapi.json`, from the very
 * schemas fastify validates requests with. Call before the routes are registered.
 */
export function registerOpenApi(app: FastifyInstance, info: { title: string; version: string; publicUrl: string }): void {
  const routes: CollectedRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    const access = (): RouteAccess => (route.config as { access?: RouteAccess } | undefined)?.access ?? 'token';
    for (const method of methods) routes.push({ method: method.toLowerCase(), url: route.url, schema: (route.schema ?? {}) as Record<string, unknown>, access });
  });
  let cached: JsonSchema | null = null;
  app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => {
    cached ??= buildDocument(routes, info);
    return cached;
  });
}

function buildDocument(routes: CollectedRoute[], info: { title: string; version: string; publicUrl: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    if (route.schema.hide) continue;
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    (paths[path] ??= {})[route.method] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version },
    servers: [{ url: info.publicUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'FRAMEWATCH_API_TOKEN (JSON Feeds also take ?token=)' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'framewatch_session',
          description: 'A review-desk session from POST /sign-in; state-changing requests also need its x-csrf-token header and a same-origin Origin',
        },
      },
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  };
}
