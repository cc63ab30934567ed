// The client address behind declared proxies only, and the IPv6 /64 the per-address limiters count by.
import type { IncomingMessage } from 'node:http';
import { clientAddressResolver, limiterKeyOf } from './client-address';

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientAddressResolver', () => {
  test('by default the peer is the client, whatever X-Forwarded-For claims', () => {
    const of = clientAddressResolver(false);
    expect(of(request('203.0.113.7', '198.51.100.1'))).toBe('203.0.113.7');
    expect(of(request('::ffff:203.0.113.7'))).toBe('203.0.113.7');
  });

  test('one trusted hop: the address that proxy appended, never one the client wrote further left', () => {
    const of = clientAddressResolver(1);
    expect(of(request('10.0.0.2', '198.51.100.1'))).toBe('198.51.100.1');
    expect(of(request('10.0.0.2', '1.2.3.4, 198.51.100.1'))).toBe('198.51.100.1');
    expect(of(request('10.0.0.2'))).toBe('10.0.0.2');
  });

  test('a list of proxies: only their forwarding is believed; garbage entries are skipped', () => {
    const of = clientAddressResolver('10.0.0.2,10.0.0.3');
    expect(of(request('10.0.0.2', '1.2.3.4, 198.51.100.1, 10.0.0.3'))).toBe('198.51.100.1');
    expect(of(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
    expect(of(request('10.0.0.2', 'not-an-ip'))).toBe('10.0.0.2');
    expect(clientAddressResolver('loopback')(request('127.0.0.1', '198.51.100.1'))).toBe('198.51.100.1');
  });
});

describe('limiterKeyOf', () => {
  test('IPv4 as it is; IPv6 by its /64 so that rotating within one allocation does not escape a limit', () => {
    expect(limiterKeyOf('203.0.113.7')).toBe('203.0.113.7');
    expect(limiterKeyOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limiterKeyOf('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(limiterKeyOf('2001:0db8:0001:0002::9')).toBe('2001:db8:1:2::/64');
    expect(limiterKeyOf('::1')).toBe('0:0:0:0::/64');
  });
});
