import { performance } from 'node:perf_hooks';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import type { FetchedResource, FetchOptions, SafeFetcher } from '../domain/types.js';
import { allowAllAddresses, ipLiteralOf, isBlockedAddress, type AddressPolicy } from './address-policy.js';
import { BlockedAddressError, FetchError, toFetchError } from './fetch-error.js';
import { guardedLookup, resolveChecked, systemResolver, type Resolver } from './guarded-lookup.js';
import { noopHostLimiter, type HostLimiter } from './host-limiter.js';
import { proxyFor, type ProxySettings } from './proxy-config.js';
import { ACCEPT_ENCODING, readBody } from './read-body.js';
import { nextHop, parseTarget, REDIRECT_STATUSES } from './redirects.js';

/** How a fetcher is built: settings.fetch plus the allow-private-networks switch and the env proxies. */
export interface SafeFetcherOptions {
  /** Off by default in the service; tests and local use turn it on to reach 127.0.0.1. */
  allowPrivateNetworks: boolean;
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** HTTP_PROXY / HTTPS_PROXY / NO_PROXY, read once by the config loader. */
  proxy?: ProxySettings;
  hostLimiter?: HostLimiter;
  /** DNS seam for tests (maps names to chosen addresses); defaults to the system resolver. */
  resolve?: Resolver;
  /** Which addresses to refuse; defaults to {@link isBlockedAddress} (or nothing when private networks are allowed). */
  addressPolicy?: AddressPolicy;
}

/** A {@link SafeFetcher} that owns a connection pool. */
export interface ClosableSafeFetcher extends SafeFetcher {
  /** Closes pooled connections (direct and proxied); call on shutdown. */
  close(): Promise<void>;
}

/**
 * The one outbound HTTP client for feeds, pages and webhooks. Refuses blocked addresses after DNS
 * resolution on every hop (redirects are followed here, one by one), caps time and decoded size, and
 * returns non-2xx responses as responses: the caller decides what a 404 or 429 means.
 */
export function createSafeFetcher(options: SafeFetcherOptions): ClosableSafeFetcher {
  return new UndiciSafeFetcher(options);
}

class UndiciSafeFetcher implements ClosableSafeFetcher {
  private readonly policy: AddressPolicy;
  private readonly resolve: Resolver;
  private readonly direct: Agent;
  private readonly proxies = new Map<string, ProxyAgent>();
  private readonly limiter: HostLimiter;

  constructor(private readonly options: SafeFetcherOptions) {
    this.policy = options.addressPolicy ?? (options.allowPrivateNetworks ? allowAllAddresses : isBlockedAddress);
    this.resolve = options.resolve ?? systemResolver;
    this.limiter = options.hostLimiter ?? noopHostLimiter;
    this.direct = new Agent({ connect: { lookup: guardedLookup(this.resolve, this.policy) } });
  }

  async fetch(url: string, options: FetchOptions = {}): Promise<FetchedResource> {
    const started = performance.now();
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const maxBytes = options.maxBytes ?? this.options.maxBytes;
    const maxRedirects = options.maxRedirects ?? this.options.maxRedirects;
    const callerSignal = options.signal;
    callerSignal?.throwIfAborted();

    const controller = new AbortController();
    const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    // The clock starts once the first host slot is held: waiting for politeness is not the server's time.
    const startClock = (): void => {
      timer ??= setTimeout(() => {
        timedOut = true;
        controller.abort(new Error('timeout'));
      }, timeoutMs);
    };

    let current = parseTarget(url);
    let method = options.method ?? 'GET';
    let body = options.body;
    let headers = this.requestHeaders(options.headers, current);
    const redirects: string[] = [];
    try {
      for (;;) {
        const proxy = proxyFor(current, this.options.proxy, options.proxy);
        this.checkLiteral(current);
        const release = await this.limiter.acquire(current.hostname, controller.signal).catch((err: unknown) => {
          // The limiter's own store failing (Redis away) is not the site's failure: it goes up as it is,
          // for the stage to wait for Redis rather than record a network error against the page or feed.
          throw controller.signal.aborted ? err : new HostLimiterFailure(err);
        });
        startClock();
        try {
          if (proxy !== null) await this.checkProxiedName(current, controller.signal);
          const res = await request(current, {
            dispatcher: proxy ? this.proxyAgent(proxy) : this.direct,
            method,
            headers,
            body,
            signal: controller.signal,
          });
          const location = headerValue(res.headers, 'location');
          if (REDIRECT_STATUSES.has(res.statusCode) && location !== undefined && maxRedirects > 0) {
            await res.body.dump();
            if (redirects.length >= maxRedirects) {
              throw new FetchError('too-many-redirects', current.href, `more than ${maxRedirects} redirects: ${url}`);
            }
            const hop = nextHop(current, location, res.statusCode, { method, body, headers });
            redirects.push(hop.url.href);
            ({ method, body, headers } = hop);
            current = hop.url;
            continue;
          }
          return await this.toResource(res, { requestedUrl: url, finalUrl: current, method, maxBytes, redirects, started });
        } finally {
          await release();
        }
      }
    } catch (err) {
      if (err instanceof HostLimiterFailure) throw err.cause;
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timedOut) throw new FetchError('timeout', current.href, `no complete response within ${timeoutMs} ms: ${current.href}`, { cause: err });
      throw toFetchError(err, current.href);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.direct.close(), ...[...this.proxies.values()].map((p) => p.close())]);
  }

  private requestHeaders(given: Record<string, string> | undefined, target: URL): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent, 'accept-encoding': ACCEPT_ENCODING };
    // undici ignores user:pass@ in a URL; feeds written that way expect Basic auth, as curl sends it.
    if (target.username !== '' || target.password !== '') {
      const pair = `${safeDecode(target.username)}:${safeDecode(target.password)}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    }
    for (const [name, value] of Object.entries(given ?? {})) headers[name.toLowerCase()] = value;
    return headers;
  }

  /** Literal addresses never reach the DNS hook (node:net skips lookup for them): check them here. */
  private checkLiteral(target: URL): void {
    const literal = ipLiteralOf(target.hostname);
    if (literal === null) return;
    const range = this.policy(literal);
    if (range !== null) throw new BlockedAddressError(literal, range, literal);
  }

  /**
   * Through a proxy, the proxy resolves the target name and our DNS hook never sees it: resolve it here and
   * refuse before anything is sent. (The proxy may still resolve differently; it is the operator's proxy.)
   */
  private async checkProxiedName(target: URL, signal: AbortSignal): Promise<void> {
    if (this.policy === allowAllAddresses || ipLiteralOf(target.hostname) !== null) return;
    // dns.lookup cannot be cancelled; stop waiting for it when the fetch is aborted or times out.
    await abortable(resolveChecked(target.hostname, this.resolve, this.policy), signal);
  }

  private proxyAgent(proxyUrl: string): ProxyAgent {
    let agent = this.proxies.get(proxyUrl);
    if (!agent) {
      // Plain-http targets go as absolute-URI requests (what curl does, and what proxies allow by
      // default); https targets are tunnelled with CONNECT.
      agent = new ProxyAgent({ uri: proxyUrl, proxyTunnel: false });
      this.proxies.set(proxyUrl, agent);
    }
    return agent;
  }

  private async toResource(
    res: Dispatcher.ResponseData,
    ctx: { requestedUrl: string; finalUrl: URL; method: string; maxBytes: number; redirects: string[]; started: number },
  ): Promise<FetchedResource> {
    const headers = flattenHeaders(res.headers);
    const finalUrl = ctx.finalUrl.href;
    const declared = Number(headers['content-length']);
    if (ctx.method === 'HEAD') {
      await res.body.dump();
      return { requestedUrl: ctx.requestedUrl, finalUrl, status: res.statusCode, headers, body: Buffer.alloc(0), redirects: ctx.redirects, durationMs: performance.now() - ctx.started };
    }
    if (!headers['content-encoding'] && Number.isFinite(declared) && declared > ctx.maxBytes) {
      res.body.destroy();
      throw new FetchError('too-large', finalUrl, `Content-Length ${declared} exceeds ${ctx.maxBytes} bytes: ${finalUrl}`);
    }
    const { body, decoded } = await readBody(res.body, headers['content-encoding'], ctx.maxBytes, finalUrl);
    if (decoded && headers['content-encoding'] !== undefined) {
      // The body is returned decoded; these two described the bytes on the wire.
      delete headers['content-encoding'];
      delete headers['content-length'];
    }
    return { requestedUrl: ctx.requestedUrl, finalUrl, status: res.statusCode, headers, body, redirects: ctx.redirects, durationMs: performance.now() - ctx.started };
  }
}

function headerValue(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** undici gives repeated headers as arrays; the domain type wants one string per (lower-cased) name. */
function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Userinfo as written, with %-escapes undone where they are valid (a stray `%` is kept as is). */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Carries a host limiter's failure past the fetcher's own error mapping. */
class HostLimiterFailure extends Error {
  constructor(cause: unknown) {
    super('the host limiter failed', { cause });
  }
}
