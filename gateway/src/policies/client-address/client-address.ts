// Who the client is, for the per-address limiters and the Forwarded header: the connection's peer, or — behind
// proxies the operator declares trusted — the address they forwarded (X-Forwarded-For, de facto; RFC 7239 §5.2's
// `for=` has the same right-to-left reading). The gateway never trusts a forwarding header from anyone else.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** PORTICO_TRUST_PROXY: false (the default: the gateway is the edge), true (any peer), a hop count, or addresses. */
export type TrustProxy = boolean | number | string;

export type ClientAddressOf = (req: IncomingMessage) => string;

export function clientAddressResolver(trust: TrustProxy): ClientAddressOf {
  const peerOf = (req: IncomingMessage) => normalise(req.socket.remoteAddress ?? 'unknown');
  if (trust === false || trust === 0) return peerOf;
  const trustedAddresses =
    typeof trust === 'string' ? new Set(trust.split(',').map((a) => normalise(a.trim()))) : undefined;
  const hops = typeof trust === 'number' ? trust : Number.POSITIVE_INFINITY;
  const trusted = (address: string, index: number) =>
    trustedAddresses
      ? trustedAddresses.has(address) || isLoopbackAlias(address, trustedAddresses)
      : index < hops;

  return function clientAddressOf(req) {
    const peer = peerOf(req);
    if (!trusted(peer, 0)) return peer;
    const forwarded = req.headers['x-forwarded-for'];
    if (forwarded === undefined) return peer;
    // Read from the right: each trusted hop appended the address it received from; the first address that is not
    // a trusted proxy is the client. Anything further left was written by the client itself.
    const chain = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)
      .split(',')
      .map((entry) => normalise(entry.trim()))
      .filter((entry) => isIP(entry) !== 0);
    let client = peer;
    for (let i = chain.length - 1, hop = 1; i >= 0; i--, hop++) {
      client = chain[i]!;
      if (!trusted(client, hop)) break;
    }
    return client;
  };
}

/**
 * The key the per-address limiters count under: an IPv4 address as it is, an IPv6 address by its /64 — one
 * subscriber's allocation (RFC 6177), which a client can rotate through freely.
 */
export function limiterKeyOf(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = expandIpv6(address);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : address;
}

function normalise(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** `loopback` in the list stands for both loopback addresses. */
function isLoopbackAlias(address: string, list: ReadonlySet<string>): boolean {
  return list.has('loopback') && (address === '127.0.0.1' || address === '::1');
}

function expandIpv6(address: string): string[] | undefined {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  if (right.some((g) => g.includes('.')) || left.some((g) => g.includes('.'))) return undefined;
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return undefined;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) =>
    g.toLowerCase().replace(/^0+(?=.)/, ''),
  );
}
