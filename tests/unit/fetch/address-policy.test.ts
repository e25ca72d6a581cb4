import { describe, expect, it } from 'vitest';
import { ipLiteralOf, isBlockedAddress } from '../../../src/fetch/address-policy.js';

describe('isBlockedAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.4.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'ipv4Mapped:loopback'],
    ['::ffff:a00:5', 'ipv4Mapped:private'],
    ['64:ff9b::a9fe:a9fe', 'rfc6052:linkLocal'],
    ['2002:c0a8:101::1', '6to4:private'],
    ['2001:db8::1', 'reserved'],
    ['not-an-ip', 'invalid'],
  ])('refuses %s as %s', (ip, range) => {
    expect(isBlockedAddress(ip)).toBe(range);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'allows public %s',
    (ip) => {
      expect(isBlockedAddress(ip)).toBeNull();
    },
  );
});

describe('ipLiteralOf', () => {
  it.each([
    ['http://127.1/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://[::1]:8080/', '::1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
  ])('finds the address WHATWG URL makes of %s', (url, ip) => {
    expect(ipLiteralOf(new URL(url).hostname)).toBe(ip);
  });

  it('treats DNS names as names', () => {
    expect(ipLiteralOf('localhost')).toBeNull();
    expect(ipLiteralOf('example.com')).toBeNull();
  });
});
