// The RFC 9421 signature base (§2.5): one line per covered component, `"name": value`, then the
// `"@signature-params"` line, joined by LF with no trailing newline. Shared by the verifier and by signers (SDKs,
// tests), so both sides derive every component value the same way.
import type { Parameters } from './structured-fields';
import { serializeBareItem, serializeInnerList } from './structured-fields-serialize';

/** The values of one request that a signature base is built from. */
export interface SignatureMessage {
  /** §2.2.1: the method as sent (case-sensitive). */
  readonly method: string;
  /** §2.2.3: host and port, lowercase, the scheme's default port omitted (RFC 9110 §4.2.3). */
  readonly authority: string;
  /** §2.2.6: the absolute path as sent, percent-encoding untouched, `/` when empty. */
  readonly path: string;
  /** §2.2.7: `?` and the query as normalised by the WHATWG URL parser; `?` alone when there is none. */
  readonly query: string;
  /** §2.1: a header field by lowercase name, its lines trimmed and joined with `, `; undefined when absent. */
  field(name: string): string | undefined;
}

/** The derived components this profile supports; others (`@target-uri`, `@request-target` …) are refused. */
export const DERIVED_COMPONENTS: readonly string[] = Object.freeze([
  '@method',
  '@authority',
  '@path',
  '@query',
]);

// §2.1: a field's component name is its lowercased name; RFC 9110 §5.1 says a field name is a token.
const FIELD_NAME = /^[a-z0-9!#$%&'*+\-.^_`|~]+$/;

export type SignatureBaseResult = { ok: true; base: string } | { ok: false; detail: string };

/**
 * Builds the signature base for `covered` (component names, in the order signed) and the signature parameters
 * (in the order signed). Fails, as §2.5 requires, on a repeated component, an unsupported one, or a field the
 * message does not have. Component parameters (`;sf`, `;key`, `;req` …) are not part of this profile.
 */
export function buildSignatureBase(
  message: SignatureMessage,
  covered: readonly string[],
  params: Parameters,
): SignatureBaseResult {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const name of covered) {
    if (seen.has(name)) return { ok: false, detail: `component ${name} covered twice` };
    seen.add(name);
    const value = componentValue(message, name);
    if (value === undefined) return { ok: false, detail: `component ${name} is unsupported or absent` };
    lines.push(`${serializeBareItem({ type: 'string', value: name })}: ${value}`);
  }
  lines.push(`"@signature-params": ${signatureParamsValue(covered, params)}`);
  return { ok: true, base: lines.join('\n') };
}

/** §2.3: the serialized inner list: the value of `@signature-params` and of the `Signature-Input` member. */
export function signatureParamsValue(covered: readonly string[], params: Parameters): string {
  return serializeInnerList(
    covered.map((name) => ({ kind: 'item', value: { type: 'string', value: name }, params: new Map() })),
    params,
  );
}

function componentValue(message: SignatureMessage, name: string): string | undefined {
  switch (name) {
    case '@method':
      return message.method;
    case '@authority':
      return message.authority;
    case '@path':
      return message.path;
    case '@query':
      return message.query;
  }
  // `@signature-params` may not be covered (§2.3), nor any other derived component of RFC 9421.
  if (!FIELD_NAME.test(name)) return undefined;
  return message.field(name);
}

/** A request as the gateway received it: `url` is the request target as sent (Express: `req.originalUrl`). */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * The message of a received request; undefined when it has no usable Host or request target. `scheme` is how
 * callers reach the gateway (it may sit behind TLS termination), for the default-port rule of `@authority`.
 */
export function messageFromRequest(
  request: ReceivedRequest,
  scheme: 'http' | 'https',
): SignatureMessage | undefined {
  const host = request.headers['host'] ?? request.headers[':authority'];
  if (typeof host !== 'string' || host === '') return undefined;
  let path: string;
  let query: string;
  const target = request.url;
  if (target.startsWith('/')) {
    // Origin form (RFC 9112 §3.2.1). A fragment is never sent; its presence means the target is not what it seems.
    if (target.includes('#')) return undefined;
    const mark = target.indexOf('?');
    path = mark < 0 ? target : target.slice(0, mark);
    query = mark < 0 ? '?' : normaliseQuery(target.slice(mark + 1));
  } else if (/^https?:\/\//i.test(target) && URL.canParse(target)) {
    // Absolute form (RFC 9112 §3.2.2), as a forward proxy would send it.
    const url = new URL(target);
    path = url.pathname;
    query = url.search === '' ? '?' : url.search;
  } else {
    return undefined;
  }
  const headers = request.headers;
  return {
    method: request.method,
    authority: normaliseAuthority(host, scheme),
    path: path === '' ? '/' : path,
    query,
    field: (name) => fieldValue(headers[name]),
  };
}

/** The message a signer builds from the URL it is about to call (the WHATWG parser has normalised it). */
export function messageFromUrl(
  method: string,
  url: URL,
  headers: Readonly<Record<string, string>>,
): SignatureMessage {
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    method,
    authority: url.host,
    path: url.pathname === '' ? '/' : url.pathname,
    query: url.search === '' ? '?' : url.search,
    field: (name) => fieldValue(lower.get(name)),
  };
}

/** RFC 9110 §4.2.3: lowercase, and no port when it is the scheme's default. */
export function normaliseAuthority(host: string, scheme: 'http' | 'https'): string {
  const lower = host.toLowerCase();
  const defaultPort = scheme === 'https' ? ':443' : ':80';
  if (lower.endsWith(defaultPort)) return lower.slice(0, -defaultPort.length);
  return lower.endsWith(':') ? lower.slice(0, -1) : lower;
}

function normaliseQuery(raw: string): string {
  if (raw === '') return '?';
  const search = new URL(`http://h/?${raw}`).search;
  return search === '' ? '?' : search;
}

/** §2.1: each field line's value trimmed, then the lines joined with a comma and a space. */
function fieldValue(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map((v) => v.trim()).join(', ') : value.trim();
}
