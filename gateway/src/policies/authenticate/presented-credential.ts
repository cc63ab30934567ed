// Finds the one credential a request presents. API keys come in `Authorization: Bearer` or `X-API-Key`, never in
// the query string (DESIGN.md: URLs end up in logs and Referer headers). A bearer value is an API key when it has the
// key prefix and an OAuth access token (RFC 9068 JWT) otherwise. Presenting two credentials at once is refused:
// which one would count is a question an attacker should not get to ask.
import type { IncomingHttpHeaders } from 'node:http';

export type PresentedCredential =
  | { kind: 'none' }
  | { kind: 'api_key'; value: string }
  | { kind: 'access_token'; value: string }
  | { kind: 'signature' }
  /** A malformed Authorization header, or more than one credential: refused like a bad credential. */
  | { kind: 'invalid'; reason: string };

const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;

export function presentedCredential(headers: IncomingHttpHeaders): PresentedCredential {
  const authorization = headers.authorization;
  const rawApiKey = headers['x-api-key'];
  // Repeated headers arrive joined with ', ' (or as an array for some names); a key never contains a comma.
  const apiKeyHeader = Array.isArray(rawApiKey) ? rawApiKey.join(', ') : rawApiKey;
  const signed = headers['signature'] !== undefined || headers['signature-input'] !== undefined;
  const count = Number(authorization !== undefined) + Number(apiKeyHeader !== undefined) + Number(signed);
  if (count === 0) return { kind: 'none' };
  if (count > 1) return { kind: 'invalid', reason: 'more than one credential presented' };
  if (signed) return { kind: 'signature' };
  if (apiKeyHeader !== undefined) {
    return apiKeyHeader.includes(',') || apiKeyHeader.trim() === ''
      ? { kind: 'invalid', reason: 'malformed X-API-Key header' }
      : { kind: 'api_key', value: apiKeyHeader.trim() };
  }
  const match = BEARER.exec(authorization!);
  if (!match) return { kind: 'invalid', reason: 'Authorization is not a Bearer credential' };
  const value = match[1]!;
  return value.startsWith('ptc_') ? { kind: 'api_key', value } : { kind: 'access_token', value };
}
