import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

/** A request part failed its schema; `parameter` names the field (query parameter, path part or body path). */
export class RequestValidationError extends Error {
  readonly statusCode = 400;
  readonly code = 'FST_ERR_VALIDATION';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
    this.name = 'RequestValidationError';
  }
}

const PART_NAMES: Record<string, string> = { querystring: 'query', params: 'path', body: 'body', headers: 'header' };

function toValidationError(httpPart: string | undefined, error: z.ZodError): RequestValidationError {
  const issue = error.issues[0];
  if (!issue) return new RequestValidationError(httpPart ?? 'request', 'invalid');
  // An unknown query parameter is named itself, so a typo ("lable") is pointed out rather than ignored.
  const path = issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : issue.path;
  const name = path.length > 0 ? path.map(String).join('.') : (PART_NAMES[httpPart ?? ''] ?? 'request');
  const message = issue.code === 'unrecognized_keys' ? 'unknown parameter' : issue.message;
  return new RequestValidationError(name, message);
}

/**
 * Makes this plugin's routes validate with the zod schemas in their `schema` (the same schemas the OpenAPI
 * document is generated from) and serialise replies with JSON.stringify. Scoped to the calling plugin, so
 * other plugins keep fastify's JSON-Schema validation.
 */
export function useZodSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const zodSchema = schema as unknown as z.ZodType;
    return (data: unknown) => {
      // fastify hands a missing part over as null; the schema decides whether it may be absent.
      const result = zodSchema.safeParse(data === null ? undefined : data);
      return result.success ? { value: result.data } : { error: toValidationError(httpPart, result.error) };
    };
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

/** A query parameter that may be given once or repeated (`?label=a&label=b`); always an array after parsing. */
export function repeatable<T extends z.ZodType<string>>(item: T) {
  return z.union([item, z.array(item)]).transform((v): z.output<T>[] => (Array.isArray(v) ? v : [v]) as z.output<T>[]);
}

/** An ISO 8601 date or date-time in a query parameter, parsed to a Date. */
export const isoDateParam = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((v) => new Date(v))
  .meta({ description: 'ISO 8601 date (2026-11-01) or date-time (2026-11-01T12:00:00Z)' });

/**
 * The first place in a request value (query, path parameters or parsed body) holding a NUL character, in
 * a key or a string, named as validation errors name fields (`q`, `id`, `reject.0`); null when none does.
 * Walks with an explicit stack: a body may nest as deep as the JSON parser allows.
 */
export function nulParameter(value: unknown, part: string): string | null {
  // Each entry points at its parent, so the path is only spelled out for the one value refused.
  interface Entry {
    value: unknown;
    key: string | null;
    parent: Entry | null;
  }
  const pathOf = (entry: Entry): string => {
    const keys: string[] = [];
    for (let e: Entry | null = entry; e !== null && e.key !== null; e = e.parent) keys.push(e.key);
    return keys.reverse().join('.') || part;
  };
  const stack: Entry[] = [{ value, key: null, parent: null }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const v = entry.value;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return pathOf(entry);
    } else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        const childEntry: Entry = { value: child, key, parent: entry };
        if (key.includes('\u0000')) return pathOf(childEntry);
        stack.push(childEntry);
      }
    }
  }
  return null;
}

/**
 * A preValidation hook for every route: a NUL character anywhere in the query, the path parameters or the
 * body is refused with 400 naming the parameter. PostgreSQL cannot hold NUL in text, so such a value would
 * otherwise reach the database and fail the request with a 500.
 */
export async function refuseNulCharacters(req: FastifyRequest): Promise<void> {
  for (const [part, value] of [['query', req.query], ['path', req.params], ['body', req.body]] as const) {
    const parameter = nulParameter(value, part);
    if (parameter !== null) throw new RequestValidationError(parameter, 'must not contain NUL characters');
  }
}
