import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import type { AddressPolicy } from './address-policy.js';
import { BlockedAddressError } from './fetch-error.js';

/** Resolves a host name to all its addresses (the shape of `dns.promises.lookup(host, { all: true })`). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true });

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The `lookup` hook node:net and node:tls accept in their connect options. */
export type NetLookup = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback) => void;

/**
 * Resolves `hostname` and refuses it when ANY address is blocked: a name that resolves to both a public
 * and a private address is the DNS-rebinding shape, and connecting to "the public one" is not guaranteed.
 */
export async function resolveChecked(hostname: string, resolve: Resolver, policy: AddressPolicy): Promise<LookupAddress[]> {
  const addresses = await resolve(hostname);
  for (const { address } of addresses) {
    const range = policy(address);
    if (range !== null) throw new BlockedAddressError(address, range, hostname);
  }
  return addresses;
}

/**
 * A connect-time DNS hook: the socket connects only to addresses this lookup returned, so the check runs
 * on what is actually dialled (after DNS, on every connection, every redirect hop) rather than on a
 * separate resolution that could differ.
 */
export function guardedLookup(resolve: Resolver, policy: AddressPolicy): NetLookup {
  return (hostname, options, callback) => {
    resolveChecked(hostname, resolve, policy).then(
      (all) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const wanted = family === 4 || family === 6 ? all.filter((a) => a.family === family) : all;
        if (wanted.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`no IPv${family ?? ''} address for ${hostname}`);
          err.code = 'ENOTFOUND';
          callback(err, '');
          return;
        }
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0]?.address ?? '', wanted[0]?.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}
