// Header hygiene at the trust boundary: what the gateway forwards to a backend and what it streams back. Pure
// functions (DESIGN.md "Proxying"; RFC 9110 §7.6): the caller's credentials and identity claims never reach a
// backend, which learns who is calling only from the identity assertion the gateway signs.
import type { IncomingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1: connection-specific fields, plus the obsolete ones still seen in the wild (Keep-Alive, Proxy-Connection). */
export const HOP_BY_HOP: readonly string[] = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/** Dropped from every forwarded request. */
const REQUEST_DROPPED = new Set([
  ...HOP_BY_HOP,
  // undici refuses `Expect` (STACK.md pitfall 7); the gateway has already read the whole body, so a 100-continue
  // handshake with the backend would be meaningless anyway (RFC 9110 §10.1.1).
  'expect',
  // The upstream's own authority is set by the client from its origin (RFC 9110 §7.2).
  'host',
  // The body is forwarded from the buffered bytes and undici frames it (RFC 9112 §6.2): a caller's value could
  // only disagree with what is sent.
  'content-length',
  // The caller's credentials are the gateway's business only (DESIGN.md); RFC 9110 §11.7.2: Proxy-Authorization
  // is consumed by the proxy it is addressed to.
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'signature',
  'signature-input',
  'cookie',
  // Forwarding facts come from the gateway's own view of the connection, never from the caller (below).
  'forwarded',
  'x-real-ip',
  // Replaced by the gateway's own values.
  'x-request-id',
]);

/** Any caller-supplied header under these prefixes could impersonate the gateway's word to a backend. */
const REQUEST_DROPPED_PREFIXES = ['x-portico-', 'x-forwarded-'];

/** Dropped from every upstream response before it is streamed back (RFC 9110 §7.6.1; §11.7.1 Proxy-Authenticate). */
const RESPONSE_DROPPED = new Set([...HOP_BY_HOP, 'proxy-authenticate']);

export interface UpstreamHeaderContext {
  requestId: string;
  /** The peer address of the caller's connection as the gateway sees it (`req.socket.remoteAddress`). */
  clientAddress: string | undefined;
  /** The scheme the caller used to reach the gateway. */
  protocol: 'http' | 'https';
  /** The HTTP version the caller used (`req.httpVersion`), for Via's received-protocol; default `1.1`. */
  httpVersion?: string;
  /** The identity assertion: name (`X-Portico-Identity`) and the signed JWT. */
  identity: { name: string; value: string };
  /** Via's received-by pseudonym (RFC 9110 §7.6.3); default `portico`. Never a host name: it would reveal topology. */
  viaPseudonym?: string;
}

/**
 * The request headers a backend receives. Forwarding facts: the gateway is the edge, so every incoming
 * `Forwarded`/`X-Forwarded-*` is caller-controlled and dropped; it then sends both the standard `Forwarded`
 * (RFC 7239: for, proto, host) and the de-facto `X-Forwarded-For`/`-Proto`/`-Host` that Express's `trust proxy`
 * reads, all built from the same connection facts. A gateway behind a trusted load balancer passes the client
 * address it resolved as `clientAddress`; this function itself trusts no header.
 */
export function buildUpstreamHeaders(
  incoming: IncomingHttpHeaders,
  context: UpstreamHeaderContext,
): Record<string, string> {
  const connectionNamed = connectionTokens(incoming.connection);
  const identityName = context.identity.name.toLowerCase();
  const out: Record<string, string> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (REQUEST_DROPPED.has(lower) || lower === identityName || connectionNamed?.has(lower)) continue;
    if (REQUEST_DROPPED_PREFIXES.some((prefix) => lower.startsWith(prefix))) continue;
    if (lower === 'via') continue; // re-added below with our hop appended
    out[lower] = Array.isArray(value) ? value.join(', ') : value;
  }

  // RFC 9110 §7.6.3: each intermediary appends its received-protocol and received-by to Via.
  const hop = `${context.httpVersion ?? '1.1'} ${context.viaPseudonym ?? 'portico'}`;
  const via = joined(incoming.via);
  out.via = via ? `${via}, ${hop}` : hop;

  const client = normaliseAddress(context.clientAddress);
  const host = joined(incoming.host);
  const forwarded = [`for=${forwardedNode(client)}`, `proto=${context.protocol}`];
  if (host) forwarded.push(`host=${quoted(host)}`);
  out.forwarded = forwarded.join(';');
  if (client) out['x-forwarded-for'] = client;
  out['x-forwarded-proto'] = context.protocol;
  if (host) out['x-forwarded-host'] = host;

  out['x-request-id'] = context.requestId;
  out[identityName] = context.identity.value;
  return out;
}

/** The upstream response headers minus the hop-by-hop ones; values (Set-Cookie arrays too) otherwise untouched. */
export function buildResponseHeaders(upstream: IncomingHttpHeaders): Record<string, string | string[]> {
  const connectionNamed = connectionTokens(upstream.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (RESPONSE_DROPPED.has(lower) || connectionNamed?.has(lower)) continue;
    out[lower] = value;
  }
  return out;
}

/** RFC 9110 §7.6.1: every field named in Connection is hop-by-hop too. */
function connectionTokens(value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  const tokens = new Set<string>();
  for (const token of joined(value).split(',')) {
    const trimmed = token.trim().toLowerCase();
    if (trimmed) tokens.add(trimmed);
  }
  return tokens;
}

function joined(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** An IPv4 peer reached over a dual-stack socket shows as `::ffff:a.b.c.d`; backends expect the IPv4 form. */
function normaliseAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** RFC 7239 §6: an IPv6 node is bracketed and quoted; an unknown one is `unknown`. */
function forwardedNode(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.includes(':') ? `"[${address}]"` : address;
}

/** RFC 7239 §4: a value that is not a token (a host with a port has `:`) is a quoted-string. */
function quoted(value: string): string {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value) ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`;
}
