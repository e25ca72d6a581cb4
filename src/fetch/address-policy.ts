import ipaddr from 'ipaddr.js';

/**
 * Decides whether an IP address may be connected to: returns the name of the refused range, or null when
 * the address is allowed. The fetcher's default is {@link isBlockedAddress}; tests inject narrower ones.
 */
export type AddressPolicy = (ip: string) => string | null;

/**
 * The range that makes an IP address unfit for outbound requests (loopback, private, link-local,
 * unique-local, multicast, unspecified, CGNAT, benchmarking, documentation, broadcast, reserved, …), or
 * null for a public unicast address. Unparseable input counts as blocked (`invalid`).
 *
 * IPv6 forms that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, IPv4-translated, IPv4-compatible
 * `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the IPv4 address inside them.
 */
export function isBlockedAddress(ip: string): string | null {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  // Zone ids (fe80::1%eth0) only appear on link-local addresses, which are blocked anyway.
  const withoutZone = bare.includes('%') ? bare.slice(0, bare.indexOf('%')) : bare;
  if (!ipaddr.isValid(withoutZone)) return 'invalid';
  const addr = ipaddr.parse(withoutZone);
  if (addr.kind() === 'ipv4') return ipv4Verdict(addr as ipaddr.IPv4);
  return ipv6Verdict(addr as ipaddr.IPv6);
}

function ipv4Verdict(addr: ipaddr.IPv4): string | null {
  const range = addr.range();
  // ipaddr.js names 198.18/15 (RFC 2544 benchmarking) and the documentation nets as `reserved`; anything
  // that is not plain `unicast` is refused rather than listing ranges one by one.
  return range === 'unicast' ? null : range;
}

function ipv6Verdict(addr: ipaddr.IPv6): string | null {
  const range = addr.range();
  const parts = addr.parts;
  const embedded = (hi: number, lo: number): ipaddr.IPv4 =>
    new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  switch (range) {
    case 'ipv4Mapped':
      return prefixed('ipv4Mapped', ipv4Verdict(addr.toIPv4Address()));
    case 'rfc6145':
    case 'rfc6052':
      return prefixed(range, ipv4Verdict(embedded(parts[6] ?? 0, parts[7] ?? 0)));
    case '6to4':
      return prefixed('6to4', ipv4Verdict(embedded(parts[1] ?? 0, parts[2] ?? 0)));
    case 'unicast': {
      // The deprecated IPv4-compatible form ::a.b.c.d (RFC 4291 §2.5.5.1) is not a range of its own in
      // ipaddr.js; some stacks still route it to the IPv4 address.
      if (parts.slice(0, 6).every((p) => p === 0)) {
        return prefixed('ipv4Compatible', ipv4Verdict(embedded(parts[6] ?? 0, parts[7] ?? 0))) ?? 'ipv4Compatible';
      }
      return null;
    }
    default:
      return range;
  }
}

function prefixed(outer: string, inner: string | null): string | null {
  return inner === null ? null : `${outer}:${inner}`;
}

/** Allows everything: what `allowPrivateNetworks: true` means. */
export const allowAllAddresses: AddressPolicy = () => null;

/**
 * The IP address written in a URL's hostname, or null for a DNS name. WHATWG URL parsing has already
 * normalised IPv4 shorthand (127.1, 0x7f.1, 2130706433) to dotted decimal for http(s) URLs.
 */
export function ipLiteralOf(hostname: string): string | null {
  if (hostname.startsWith('[') && hostname.endsWith(']')) return hostname.slice(1, -1);
  if (ipaddr.IPv4.isValidFourPartDecimal(hostname)) return hostname;
  // Not reachable through WHATWG URL for http(s), but callers may pass hostnames from elsewhere.
  if (ipaddr.IPv6.isValid(hostname)) return hostname;
  return null;
}
