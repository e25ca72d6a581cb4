/** The safe fetcher: the one outbound HTTP client (see safe-fetcher.ts), its errors and politeness. */
export { createSafeFetcher, type ClosableSafeFetcher, type SafeFetcherOptions } from './safe-fetcher.js';
export { FetchError, type FetchErrorCode } from './fetch-error.js';
export { retryAfterMs } from './retry-after.js';
export { isBlockedAddress, type AddressPolicy } from './address-policy.js';
export { noopHostLimiter, type HostLimiter, type ReleaseHostSlot } from './host-limiter.js';
export { RedisHostLimiter, type RedisHostLimiterOptions } from './redis-host-limiter.js';
export type { ProxySettings } from './proxy-config.js';
export type { Resolver } from './guarded-lookup.js';
