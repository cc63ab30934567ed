// The text form of every Portico secret (DESIGN.md "Keys", specs/platform "Secrets are shown once"):
// `<tag>_[<test|live>_]<random base62 body><6-char base62 CRC32>`, generated from crypto.randomBytes and
// checked without I/O, so that a typo or a guessed string is refused before any lookup and scanners find leaks.
import { randomBytes } from 'node:crypto';
import { base62Digit, BITS_PER_BASE62_CHAR, decodeBase62, encodeBase62Fixed, randomBase62 } from './base62';
import type { RandomBytes } from './base62';
import { crc32Ascii } from './crc32';
import type { Environment } from './environment';

/** Every kind of secret Portico issues. OAuth client ids are plain ids (`oac_…`), not secrets, so not here. */
export type CredentialKind =
  'api_key' | 'personal_token' | 'oauth_client_secret' | 'signing_secret' | 'invitation';

export interface CredentialFormat {
  readonly kind: CredentialKind;
  /** The recognisable tag before the first underscore (`ptc`), registered with secret scanners. */
  readonly tag: string;
  /** Whether the environment follows the tag (`ptc_test_…`): the secret belongs to an app of that environment. */
  readonly hasEnvironment: boolean;
  /** Uniformly random base62 characters between the prefix and the checksum. */
  readonly bodyLength: number;
  /** The fixed length of the whole secret; anything else is malformed. */
  readonly length: number;
}

export const CHECKSUM_LENGTH = 6;

/** Characters of the body shown after the tag (and environment) as the display prefix, e.g. `ptc_test_AbCd`. */
export const DISPLAY_BODY_LENGTH = 4;

// Body lengths. DESIGN.md asks for at least 160 random bits (256 for OAuth and signing secrets). Each base62
// character carries log2(62) ≈ 5.954 bits, and the portal shows every member the display prefix (4 body
// characters, 23.8 bits) and the last four characters (part of the checksum, which leaks up to 23.8 bits about
// the body). 36 characters (214.4 bits) keep more than 160 bits unknown even to someone who has seen both
// (214.4 − 23.8 − 23.8 = 166.8); 30 characters (178.6 bits) would already exceed 160 bits of entropy but not
// after subtracting what the portal shows. OAuth and signing secrets show only their last four characters;
// 44 characters (262 bits) keep 238 of them unknown, over the 256 bits of entropy the spec asks for in total.
const KEY_BODY_LENGTH = 36;
const SECRET_BODY_LENGTH = 44;

function format(
  kind: CredentialKind,
  tag: string,
  hasEnvironment: boolean,
  bodyLength: number,
): CredentialFormat {
  const length = tag.length + 1 + (hasEnvironment ? 5 : 0) + bodyLength + CHECKSUM_LENGTH;
  return Object.freeze({ kind, tag, hasEnvironment, bodyLength, length });
}

export const CREDENTIAL_FORMATS: Readonly<Record<CredentialKind, CredentialFormat>> = Object.freeze({
  api_key: format('api_key', 'ptc', true, KEY_BODY_LENGTH),
  personal_token: format('personal_token', 'ptp', false, KEY_BODY_LENGTH),
  oauth_client_secret: format('oauth_client_secret', 'pto', true, SECRET_BODY_LENGTH),
  signing_secret: format('signing_secret', 'pts', true, SECRET_BODY_LENGTH),
  invitation: format('invitation', 'pti', false, KEY_BODY_LENGTH),
});

/** The random bits of a kind's body (not counting prefix and checksum, which carry none). */
export function randomBitsOf(kind: CredentialKind): number {
  return CREDENTIAL_FORMATS[kind].bodyLength * BITS_PER_BASE62_CHAR;
}

export interface GeneratedSecret {
  /** The full secret: shown once to its owner, then only its digest (or ciphertext) is kept. */
  readonly secret: string;
  /** What the portal shows to tell secrets apart: the tag, the environment and 4 body characters. */
  readonly prefix: string;
  /** The last four characters of the full secret (the spec's `last4`). */
  readonly last4: string;
}

/**
 * Generates a new secret of `kind`. `environment` is required for the kinds that carry one and refused for the
 * others (a programming error, so it throws). `random` defaults to crypto.randomBytes; tests pass a fixed source.
 */
export function generateSecret(
  kind: CredentialKind,
  environment: Environment | null,
  random: RandomBytes = randomBytes,
): GeneratedSecret {
  const fmt = CREDENTIAL_FORMATS[kind];
  if (fmt.hasEnvironment !== (environment !== null)) {
    throw new TypeError(`${kind} ${fmt.hasEnvironment ? 'needs' : 'takes no'} environment`);
  }
  const head = environment === null ? `${fmt.tag}_` : `${fmt.tag}_${environment}_`;
  const body = randomBase62(fmt.bodyLength, random);
  const unchecked = head + body;
  const secret = unchecked + encodeBase62Fixed(crc32Ascii(unchecked), CHECKSUM_LENGTH);
  return { secret, prefix: head + body.slice(0, DISPLAY_BODY_LENGTH), last4: secret.slice(-4) };
}

export interface GeneratedApiKey {
  readonly key: string;
  readonly prefix: string;
  readonly last4: string;
}

/** A new API key for an app of `environment`: `ptc_<test|live>_<36 base62><6 base62 CRC32>`, 51 characters. */
export function generateApiKey(environment: Environment, random: RandomBytes = randomBytes): GeneratedApiKey {
  const { secret, prefix, last4 } = generateSecret('api_key', environment, random);
  return { key: secret, prefix, last4 };
}

export function generatePersonalToken(random: RandomBytes = randomBytes): GeneratedSecret {
  return generateSecret('personal_token', null, random);
}

export function generateOAuthClientSecret(
  environment: Environment,
  random: RandomBytes = randomBytes,
): GeneratedSecret {
  return generateSecret('oauth_client_secret', environment, random);
}

export function generateSigningSecret(
  environment: Environment,
  random: RandomBytes = randomBytes,
): GeneratedSecret {
  return generateSecret('signing_secret', environment, random);
}

export function generateInvitationToken(random: RandomBytes = randomBytes): GeneratedSecret {
  return generateSecret('invitation', null, random);
}

export type FormatFailure = 'malformed' | 'bad_checksum';

export type SecretParse =
  | { readonly ok: true; readonly environment: Environment | null }
  | { readonly ok: false; readonly reason: FormatFailure };

export type ApiKeyParse =
  | { readonly ok: true; readonly environment: Environment }
  | { readonly ok: false; readonly reason: FormatFailure };

// Shared, frozen results: parsing allocates nothing, whatever it is given.
const MALFORMED = Object.freeze({ ok: false, reason: 'malformed' } as const);
const BAD_CHECKSUM = Object.freeze({ ok: false, reason: 'bad_checksum' } as const);
const OK_TEST = Object.freeze({ ok: true, environment: 'test' } as const);
const OK_LIVE = Object.freeze({ ok: true, environment: 'live' } as const);
const OK_WITHOUT_ENVIRONMENT = Object.freeze({ ok: true, environment: null } as const);

const UNDERSCORE = 0x5f;

/**
 * Checks that `presented` is a well-formed secret of `kind` whose checksum matches. No I/O and no allocation;
 * it stops at the first wrong character. That early exit is safe: the format and the checksum are public (anyone
 * can compute a CRC32), so how long the check takes tells nothing about any stored secret. Whether the secret
 * exists is decided later by a lookup of its keyed digest.
 */
export function parseSecret(kind: CredentialKind, presented: unknown): SecretParse {
  const fmt = CREDENTIAL_FORMATS[kind];
  if (typeof presented !== 'string' || presented.length !== fmt.length) return MALFORMED;
  const tag = fmt.tag;
  let i = 0;
  for (; i < tag.length; i++) if (presented.charCodeAt(i) !== tag.charCodeAt(i)) return MALFORMED;
  if (presented.charCodeAt(i++) !== UNDERSCORE) return MALFORMED;
  let ok: SecretParse = OK_WITHOUT_ENVIRONMENT;
  if (fmt.hasEnvironment) {
    if (startsAt(presented, i, 'test_')) ok = OK_TEST;
    else if (startsAt(presented, i, 'live_')) ok = OK_LIVE;
    else return MALFORMED;
    i += 5;
  }
  for (; i < presented.length; i++) if (base62Digit(presented.charCodeAt(i)) < 0) return MALFORMED;
  // The checksum covers everything before it, tag and environment included: `ptc_test_…` edited into
  // `ptc_live_…` fails here. A random typo passes with probability 2^-32.
  const checksumAt = presented.length - CHECKSUM_LENGTH;
  if (decodeBase62(presented, checksumAt) !== crc32Ascii(presented, 0, checksumAt)) return BAD_CHECKSUM;
  return ok;
}

/** `parseSecret('api_key', …)`: runs on the gateway's hot path before any cache or store lookup. */
export function parseApiKey(presented: unknown): ApiKeyParse {
  return parseSecret('api_key', presented) as ApiKeyParse;
}

/**
 * The kind a string claims to be by its tag alone (`ptc_…` → api_key), without checking the rest; null for
 * anything else. Lets a caller route a bearer token (an API key or a JWT, a personal token or a session) cheaply.
 */
export function credentialKindOf(presented: string): CredentialKind | null {
  if (presented.length < 4 || presented.charCodeAt(3) !== UNDERSCORE || !presented.startsWith('pt'))
    return null;
  switch (presented.charCodeAt(2)) {
    case 0x63: // c
      return 'api_key';
    case 0x70: // p
      return 'personal_token';
    case 0x6f: // o
      return 'oauth_client_secret';
    case 0x73: // s
      return 'signing_secret';
    case 0x69: // i
      return 'invitation';
    default:
      return null;
  }
}

function startsAt(text: string, at: number, expected: string): boolean {
  for (let j = 0; j < expected.length; j++)
    if (text.charCodeAt(at + j) !== expected.charCodeAt(j)) return false;
  return true;
}
