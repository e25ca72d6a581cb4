import type { FeedError, FeedErrorClass } from '../domain/types.js';
import { FetchError } from '../fetch/fetch-error.js';
import { FeedParseError } from './feed-parse-error.js';

/**
 * Markers of anti-bot interstitials (Cloudflare, DDoS-Guard, Imperva/Incapsula, PerimeterX, DataDome,
 * Akamai, Sucuri). Seen in the first bytes of the page a 403/503 (sometimes a 200) answers with.
 */
const BOT_WALL_MARKERS = [
  /<title>\s*just a moment\.\.\.\s*<\/title>/i,
  /attention required!\s*\|\s*cloudflare/i,
  /cf-browser-verification|challenge-platform|cf_chl_|cf-challenge/i,
  /ddos-guard|ddos protection by/i,
  /_incapsula_resource|incapsula incident id/i,
  /px-captcha|pardon our interruption/i,
  /captcha-delivery\.com|datadome/i,
  /sucuri website firewall/i,
  /checking (if the site connection is secure|your browser before accessing)/i,
  /<title>\s*access denied\s*<\/title>[\s\S]*reference\s*#/i,
];

/** Whether a response is an anti-bot challenge page rather than the server's real answer. */
export function isBotWall(status: number, headers: Record<string, string>, body: Buffer): boolean {
  if (headers['cf-mitigated'] === 'challenge') return true;
  if (status !== 403 && status !== 503 && status !== 429 && status !== 200) return false;
  const head = body.subarray(0, 64 * 1024).toString('utf8');
  return BOT_WALL_MARKERS.some((re) => re.test(head));
}

function statusClass(status: number): FeedErrorClass {
  if (status === 429) return 'rate-limited';
  if (status === 404 || status === 410 || status === 401 || status === 403 || status === 405 || status === 451) return 'permanent';
  if (status === 408 || status >= 500) return 'transient';
  return status >= 400 ? 'permanent' : 'transient';
}

/** A non-2xx, non-304 response as a recorded feed error. */
export function errorForResponse(status: number, headers: Record<string, string>, body: Buffer): FeedError {
  if (isBotWall(status, headers, body)) {
    return {
      class: 'bot-wall',
      status,
      message: `HTTP ${status}: an anti-bot challenge page answered; set a User-Agent, cookies or a proxy for this feed`,
    };
  }
  const cls = statusClass(status);
  const hint = status === 404 || status === 410 ? ' (the feed may have moved or been removed)' : cls === 'rate-limited' ? ' (rate limited)' : '';
  return { class: cls, status, message: `HTTP ${status}${hint}` };
}

/** A thrown error of the fetch or parse step as a recorded feed error. */
export function errorForException(err: unknown): FeedError {
  if (err instanceof FeedParseError) return { class: 'parse', message: err.message };
  if (err instanceof FetchError) {
    const byCode: Record<FetchError['code'], FeedErrorClass> = {
      'blocked-address': 'blocked',
      timeout: 'timeout',
      'too-large': 'too-large',
      'too-many-redirects': 'permanent',
      dns: 'transient',
      network: 'transient',
      'bad-url': 'permanent',
      'unsupported-scheme': 'permanent',
    };
    return { class: byCode[err.code], message: err.message };
  }
  return { class: 'transient', message: err instanceof Error ? err.message : String(err) };
}
