// Reads a client-credentials token request (RFC 6749 §4.4.2) off the wire: the form body, the grant type, the
// optional scope and the client's credentials, from HTTP Basic or the body (§2.3.1) but never both and never the
// query string. It only parses: whether the credentials are right is keys/src/oauth's issueAccessToken's question.
import type { IncomingHttpHeaders } from 'node:http';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

export type ParsedTokenRequest =
  | {
      readonly ok: true;
      readonly authMethod: ClientAuthMethod;
      readonly clientId: string | undefined;
      readonly clientSecret: string | undefined;
      readonly scope: string | undefined;
    }
  | {
      readonly ok: false;
      readonly error: 'invalid_request' | 'unsupported_grant_type' | 'invalid_client';
      /** For the log (`repeated_parameter`, `malformed_basic` …); the caller sees `description` only. */
      readonly reason: string;
      /** Empty for invalid_client: that answer is the same whatever went wrong (token-outcomes.ts). */
      readonly description: string;
    };

export const CLIENT_CREDENTIALS_GRANT = 'client_credentials';

/** The parameters this endpoint reads; naming one of these in an error tells the developer nothing secret. */
const TOKEN_PARAMETERS = new Set(['grant_type', 'scope', 'client_id', 'client_secret']);

const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
/** RFC 7617 §2: `Basic` token68, the scheme case-insensitive (RFC 9110 §11.1). */
const BASIC = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i;

function refuse(
  error: 'invalid_request' | 'unsupported_grant_type' | 'invalid_client',
  reason: string,
  description: string,
): ParsedTokenRequest {
  return { ok: false, error, reason, description };
}

export function parseTokenRequest(request: {
  headers: IncomingHttpHeaders;
  body: Buffer;
  url?: string;
}): ParsedTokenRequest {
  // RFC 6749 §4.4.2: the body is application/x-www-form-urlencoded (a charset parameter aside, the WHATWG form
  // encoding is UTF-8); anything else is not a token request we can read.
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== FORM_MEDIA_TYPE) {
    return refuse('invalid_request', 'content_type', `The request body must be ${FORM_MEDIA_TYPE}.`);
  }

  const params = formParameters(request.body.toString('utf8'));
  if (!params.ok) {
    return refuse(
      'invalid_request',
      'repeated_parameter',
      TOKEN_PARAMETERS.has(params.repeated)
        ? `The ${params.repeated} parameter is included more than once.`
        : 'A parameter is included more than once.',
    );
  }
  const values = params.values;

  // RFC 6749 §2.3.1 and §3.2: credentials MUST NOT be in the request URI, where logs and proxies keep them. The
  // query is never read; a token parameter found there is refused so that the client learns of its leak.
  if (request.url !== undefined && queryHasTokenParameter(request.url)) {
    return refuse('invalid_request', 'parameters_in_query', 'Send the parameters in the request body.');
  }

  const authorization = request.headers.authorization;
  const inBody = { clientId: values.get('client_id'), clientSecret: values.get('client_secret') };
  // RFC 6749 §2.3: a client MUST NOT use more than one authentication method in a request; which one would count is
  // a question a prober should not get to ask (§5.2 invalid_request: "utilizes more than one mechanism").
  if (authorization !== undefined && inBody.clientSecret !== undefined) {
    return refuse(
      'invalid_request',
      'two_auth_methods',
      'Authenticate with HTTP Basic or with client_secret in the body, not both.',
    );
  }

  // RFC 6749 §5.2: a missing grant_type is a malformed request; one we do not support has its own error.
  const grantType = values.get('grant_type');
  if (grantType === undefined) {
    return refuse('invalid_request', 'missing_grant_type', 'The grant_type parameter is required.');
  }
  if (grantType !== CLIENT_CREDENTIALS_GRANT) {
    return refuse(
      'unsupported_grant_type',
      'unsupported_grant_type',
      `Only the ${CLIENT_CREDENTIALS_GRANT} grant is supported.`,
    );
  }
  const scope = values.get('scope');

  if (authorization !== undefined) {
    const basic = basicCredentials(authorization);
    if (!basic.ok) return refuse('invalid_client', basic.reason, '');
    // RFC 6749 §3.2.1 allows client_id in the body; with Basic it may only repeat the same id.
    if (inBody.clientId !== undefined && inBody.clientId !== basic.clientId) {
      return refuse(
        'invalid_request',
        'two_client_ids',
        'The client_id in the body differs from HTTP Basic.',
      );
    }
    return {
      ok: true,
      authMethod: 'client_secret_basic',
      clientId: basic.clientId,
      clientSecret: basic.clientSecret,
      scope,
    };
  }
  if (inBody.clientId === undefined && inBody.clientSecret === undefined) {
    // RFC 6749 §5.2 invalid_client: "no client authentication included". Public clients have no grant here.
    return refuse('invalid_client', 'no_client_authentication', '');
  }
  return { ok: true, authMethod: 'client_secret_post', ...inBody, scope };
}

/**
 * The form's parameters, or the first name given twice (RFC 6749 §3.2: parameters MUST NOT be included more than
 * once). A parameter sent without a value is treated as omitted (§3.1).
 */
function formParameters(
  text: string,
): { ok: true; values: Map<string, string> } | { ok: false; repeated: string } {
  const values = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (seen.has(name)) return { ok: false, repeated: name };
    seen.add(name);
    if (value !== '') values.set(name, value);
  }
  return { ok: true, values };
}

function queryHasTokenParameter(url: string): boolean {
  const query = url.indexOf('?');
  if (query === -1) return false;
  for (const name of new URLSearchParams(url.slice(query + 1)).keys()) {
    if (TOKEN_PARAMETERS.has(name)) return true;
  }
  return false;
}

/**
 * HTTP Basic per RFC 6749 §2.3.1: the client id and secret are each form-urlencoded, then joined by a colon and
 * base64-encoded (RFC 7617). Only the first colon separates them: an encoded id cannot contain one.
 */
export function basicCredentials(
  authorization: string,
): { ok: true; clientId: string; clientSecret: string } | { ok: false; reason: string } {
  const match = BASIC.exec(authorization);
  if (!match) {
    return {
      ok: false,
      reason: /^Basic(?: |$)/i.test(authorization) ? 'malformed_basic' : 'unsupported_auth_scheme',
    };
  }
  const encoded = match[1]!;
  const decoded = Buffer.from(encoded, 'base64');
  // Node's decoder skips what it cannot read; a round trip tells a well-formed token68 from a mangled one.
  if (decoded.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
    return { ok: false, reason: 'malformed_basic' };
  }
  const text = decoded.toString('utf8');
  const colon = text.indexOf(':');
  if (colon === -1) return { ok: false, reason: 'malformed_basic' };
  const clientId = formDecode(text.slice(0, colon));
  const clientSecret = formDecode(text.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined || clientId === '') {
    return { ok: false, reason: 'malformed_basic' };
  }
  return { ok: true, clientId, clientSecret };
}

/** application/x-www-form-urlencoded decoding of one value; undefined for a broken percent-escape. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
