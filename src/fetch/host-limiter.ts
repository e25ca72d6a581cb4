/** Releases a slot taken with {@link HostLimiter.acquire}. Safe to call more than once. */
export type ReleaseHostSlot = () => Promise<void>;

/**
 * Per-host politeness: at most K requests in flight to one host and a minimum gap between request
 * starts, shared by every process that uses the same limiter. The fetcher takes a slot for each hop and
 * holds it until the body has been read.
 */
export interface HostLimiter {
  /** Waits for a free slot on `host`; rejects with the signal's reason if `signal` aborts first. */
  acquire(host: string, signal?: AbortSignal): Promise<ReleaseHostSlot>;
}

/** No limits: for the CLI's one-off commands and for tests that do not test politeness. */
export const noopHostLimiter: HostLimiter = {
  acquire: () => Promise.resolve(() => Promise.resolve()),
};
