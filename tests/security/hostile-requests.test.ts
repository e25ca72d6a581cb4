import { createHash } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HARNESS_TOKEN, nextClientAddress } from '../helpers/api-harness.js';
import { SEEDED_IDS, startCorpusEnv, tally, type CorpusEnv } from './corpus-env.js';

/**
 * One hostile request to the API and the answer it must get: a status (a refusal: 400 naming the
 * parameter, 401, 404, 413) or, for inputs that are odd but legal, a 2xx that changed nothing.
 */
interface RequestCase {
  name: string;
  request: InjectOptions;
  /** Send without the API token (default: with it). */
  anonymous?: boolean;
  expect: { status: number; parameter?: string };
}

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const review = (payload: unknown, extra: Partial<InjectOptions> = {}): InjectOptions => ({ method: 'POST', url: `/api/articles/${SEEDED_IDS[0]}/review`, payload: payload as string, headers: { 'content-type': 'application/json' }, ...extra });
const get = (url: string, headers: Record<string, string> = {}): InjectOptions => ({ url, headers });
const BYPASS_SPELLINGS = ['/%61pi/articles', '/%61%70%69/stats', '//api/feeds', '/./api/articles', '/x/../api/articles', '/API/articles', '/Api/articles', '/api%2Farticles', '/api;x=1/articles', '/%66eeds/all.json'];

const CASES: RequestCase[] = [
  // Token bypass spellings (defect 1): refused (401) or not routed (404), never served.
  ...BYPASS_SPELLINGS.map((url): RequestCase => ({ name: `no token, path spelled ${url}`, anonymous: true, request: get(url), expect: { status: url.startsWith('/%') || url.startsWith('/./') || url.startsWith('/x/') ? 401 : 404 } })),
  { name: 'no token, encoded review POST', anonymous: true, request: review({ confirm: ['targeted-sanctions'] }, { url: `/%61pi/articles/${SEEDED_IDS[0]}/review` }), expect: { status: 401 } },
  { name: 'no token, encoded delivery replay', anonymous: true, request: { method: 'POST', url: '/%61pi/deliveries/d-1/replay' }, expect: { status: 401 } },
  { name: 'a wrong token in ?token= on a JSON Feed', anonymous: true, request: get('/feeds/all.json?token=wrong'), expect: { status: 401 } },
  { name: '?token= on the API (header only there)', anonymous: true, request: get(`/api/articles?token=${HARNESS_TOKEN}`), expect: { status: 401 } },
  { name: 'a forged dashboard session cookie', anonymous: true, request: get('/admin/queues/api/queues', { cookie: `framewatch_session=${'A'.repeat(43)}` }), expect: { status: 401 } },
  { name: 'the old fixed dashboard cookie (a hash of the token)', anonymous: true, request: get('/admin/queues/api/queues', { cookie: `framewatch_admin=${createHash('sha256').update(`framewatch-admin:${HARNESS_TOKEN}`).digest('hex')}` }), expect: { status: 401 } },

  // NUL bytes and impossible values (defect 6).
  { name: 'NUL in q', request: get('/api/articles?q=sanctions%00'), expect: { status: 400, parameter: 'q' } },
  { name: 'NUL in feed', request: get('/api/articles?feed=%00'), expect: { status: 400, parameter: 'feed' } },
  { name: 'NUL in an article id', request: get('/api/articles/seed%00'), expect: { status: 400, parameter: 'id' } },
  { name: 'NUL in a review target id', request: review({ confirm: ['targeted-sanctions'] }, { url: '/api/articles/a%00/review' }), expect: { status: 400, parameter: 'id' } },
  { name: 'NUL in deliveries?endpoint', request: get('/api/deliveries?endpoint=hooks%00'), expect: { status: 400, parameter: 'endpoint' } },
  { name: 'NUL in a delivery id', request: get('/api/deliveries/d%00'), expect: { status: 400, parameter: 'id' } },
  { name: 'NUL in a feed id', request: get('/api/feeds/f%00'), expect: { status: 400, parameter: 'id' } },
  { name: 'NUL in a JSON Feed label', request: get('/feeds/labels/a%00b.json'), expect: { status: 400, parameter: 'label' } },
  { name: 'NUL in a review label', request: review({ reject: ['targeted\u0000sanctions'] }), expect: { status: 400, parameter: 'reject.0' } },
  { name: 'NUL in a review note', request: review({ confirm: ['targeted-sanctions'], note: 'a\u0000b' }), expect: { status: 400, parameter: 'note' } },
  { name: 'NUL in a review reviewer', request: review({ confirm: ['targeted-sanctions'], reviewer: '\u0000' }), expect: { status: 400, parameter: 'reviewer' } },
  { name: 'an article cursor on 30 February', request: get(`/api/articles?cursor=${cursorOf(['time', '2026-02-30T10:00:00.000000Z', 'x'])}`), expect: { status: 400, parameter: 'cursor' } },
  { name: 'an article cursor at hour 25', request: get(`/api/articles?cursor=${cursorOf(['time', '2026-01-01T25:00:00.000000Z', 'x'])}`), expect: { status: 400, parameter: 'cursor' } },
  { name: 'a score cursor that is not a number', request: get(`/api/articles?sort=score&cursor=${cursorOf(['score', '1 OR 1=1', 'x'])}`), expect: { status: 400, parameter: 'cursor' } },
  { name: 'a cursor that is not base64 JSON', request: get('/api/articles?cursor=%27%3B%20DROP%20TABLE%20articles%3B--'), expect: { status: 400, parameter: 'cursor' } },
  { name: 'a delivery cursor on 30 February', request: get(`/api/deliveries?cursor=${cursorOf(['2026-02-30T10:00:00.000Z', 'd'])}`), expect: { status: 400, parameter: 'cursor' } },
  { name: 'a delivery cursor in year -271821', request: get(`/api/deliveries?cursor=${cursorOf(['-271821-04-20T00:00:00.000Z', 'd'])}`), expect: { status: 400, parameter: 'cursor' } },
  { name: 'since on 30 February', request: get('/api/articles?since=2026-02-30'), expect: { status: 400, parameter: 'since' } },
  { name: 'until in year 99999', request: get('/api/articles?until=99999-01-01'), expect: { status: 400, parameter: 'until' } },
  { name: 'limit over the maximum', request: get('/api/articles?limit=5000'), expect: { status: 400, parameter: 'limit' } },
  { name: 'limit as Infinity', request: get('/api/articles?limit=1e309'), expect: { status: 400, parameter: 'limit' } },
  { name: 'minScore as NaN', request: get('/api/articles?minScore=NaN'), expect: { status: 400, parameter: 'minScore' } },
  { name: 'a 10,000-character q', request: get(`/api/articles?q=${'a'.repeat(10_000)}`), expect: { status: 400, parameter: 'q' } },

  // SQL-shaped and odd but legal values: answered, never a 500, nothing changed.
  { name: "q with SQL: ' OR 1=1 --", request: get(`/api/articles?q=${encodeURIComponent("' OR 1=1 --")}`), expect: { status: 200 } },
  { name: 'q with tsquery operators only', request: get(`/api/articles?q=${encodeURIComponent('!!& | <-> :*')}`), expect: { status: 200 } },
  { name: "feed with SQL: '; DROP TABLE articles; --", request: get(`/api/articles?feed=${encodeURIComponent("'; DROP TABLE articles; --")}`), expect: { status: 200 } },
  { name: 'label with SQL', request: get(`/api/articles?label=${encodeURIComponent("x' OR '1'='1")}`), expect: { status: 400, parameter: 'label' } },
  { name: 'an article id with SQL', request: get(`/api/articles/${encodeURIComponent("1' OR '1'='1")}`), expect: { status: 404 } },
  { name: 'a dot-dot article id', request: get('/api/articles/..%2F..%2Fetc%2Fpasswd'), expect: { status: 404 } },

  // Prototype keys (JSON bodies and query strings).
  { name: '__proto__ in a review body', request: review('{"confirm":["targeted-sanctions"],"__proto__":{"isAdmin":true}}'), expect: { status: 400 } },
  { name: 'constructor.prototype in a review body', request: review('{"confirm":["targeted-sanctions"],"constructor":{"prototype":{"isAdmin":true}}}'), expect: { status: 400 } },
  { name: '__proto__ as a query parameter', request: get('/api/articles?__proto__[isAdmin]=true'), expect: { status: 400 } },
  { name: 'constructor as a query parameter', request: get('/api/articles?constructor=x'), expect: { status: 400, parameter: 'constructor' } },
  { name: '__proto__ as a label to add', request: review({ add: ['__proto__'] }), expect: { status: 400, parameter: 'add.0' } },

  // Review verdicts and bodies.
  { name: 'confirm and reject the same label at once', request: review({ confirm: ['targeted-sanctions'], reject: ['targeted-sanctions'] }), expect: { status: 400, parameter: 'reject.0' } },
  { name: 'add and reject the same label at once', request: review({ add: ['energy-security'], reject: ['energy-security'] }), expect: { status: 400, parameter: 'add.0' } },
  { name: 'reject a label the article does not carry', request: review({ reject: ['cybersecurity'] }), expect: { status: 400, parameter: 'reject.0' } },
  { name: 'an empty review', request: review({}), expect: { status: 400, parameter: 'confirm' } },
  { name: 'an unknown body field', request: review({ confirm: ['targeted-sanctions'], admin: true }), expect: { status: 400 } },
  { name: 'a body over the size limit', request: review({ confirm: ['targeted-sanctions'], note: 'x'.repeat(1_100_000) }), expect: { status: 413 } },
  { name: 'invalid JSON', request: review('{"confirm": ['), expect: { status: 400 } },
  { name: 'JSON nested 100,000 deep', request: review(`{"note":${'['.repeat(100_000)}${']'.repeat(100_000)}}`), expect: { status: 400 } },
  { name: 'a text/plain body', request: review('confirm=targeted-sanctions', { headers: { 'content-type': 'text/plain' } }), expect: { status: 400, parameter: 'body' } },
  { name: 'replay of an unknown delivery', request: { method: 'POST', url: '/api/deliveries/no-such-delivery/replay' }, expect: { status: 404 } },
  { name: 'an unknown route', request: get('/api/../../etc/passwd'), expect: { status: 404 } },
];

let env: CorpusEnv;
beforeAll(async () => {
  env = await startCorpusEnv('sec-requests');
});
afterAll(async () => {
  await env?.close();
});
afterEach(async () => {
  await env.expectIntact();
});

describe('hostile requests are refused with the expected status, and the service and stored articles are untouched', () => {
  it('covers every kind of request of the probe', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(Object.keys(tally(CASES.map((c) => String(c.expect.status)))).length).toBeGreaterThan(4);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', async (_name, i) => {
    const c = CASES[i]!;
    const res = c.anonymous ? await env.h.app.inject({ remoteAddress: nextClientAddress(), ...c.request }) : await env.h.api(c.request);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(c.expect.status);
    if (c.expect.parameter) expect(res.json<{ parameter?: string }>().parameter).toBe(c.expect.parameter);
    // A request without the token never reads data, whatever its status.
    if (c.anonymous) expect(res.body).not.toContain(SEEDED_IDS[0]);
  });

  it('a flood of probes from one address is never rate-limited', async () => {
    const from = nextClientAddress();
    const statuses = new Set<number>();
    for (let n = 0; n < env.h.config.settings.api.rateLimitPerMinute + 20; n++) statuses.add((await env.h.app.inject({ url: n % 2 ? '/healthz' : '/readyz', remoteAddress: from })).statusCode);
    expect([...statuses]).toEqual([200]);
  });
});
