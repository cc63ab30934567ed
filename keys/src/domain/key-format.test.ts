import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { BITS_PER_BASE62_CHAR, encodeBase62Fixed } from './base62';
import type { Environment } from './environment';
import {
  CREDENTIAL_FORMATS,
  credentialKindOf,
  DISPLAY_BODY_LENGTH,
  generateApiKey,
  generateInvitationToken,
  generateOAuthClientSecret,
  generatePersonalToken,
  generateSecret,
  generateSigningSecret,
  parseApiKey,
  parseSecret,
  randomBitsOf,
} from './key-format';
import type { CredentialKind } from './key-format';

const spec = parseYaml(
  fs.readFileSync(path.join(__dirname, '../../../specs/platform/openapi.yaml'), 'utf8'),
) as { components: { schemas: Record<string, any> } };
const schemas = spec.components.schemas;

/** A random source that replays `seed`, byte after byte, cycling: deterministic secrets for golden vectors. */
function replay(seed: number[]): (size: number) => Uint8Array {
  let at = 0;
  return (size) => Uint8Array.from({ length: size }, () => seed[at++ % seed.length] as number);
}

/** Replaces the character at `index` by another base62 character. */
function substitute(text: string, index: number, by: string): string {
  return text.slice(0, index) + by + text.slice(index + 1);
}

interface KindCase {
  kind: CredentialKind;
  environment: Environment | null;
  head: string;
  length: number;
  minBits: number;
  /** The spec's pattern for the full secret. */
  secretPattern: string;
  /** The spec's pattern for the display prefix, where the spec shows one. */
  prefixPattern: string | null;
}

const kinds: KindCase[] = [
  {
    kind: 'api_key',
    environment: 'test',
    head: 'ptc_test_',
    length: 51,
    minBits: 160,
    secretPattern: schemas.ApiKeySecret.pattern,
    prefixPattern: schemas.ApiKey.properties.prefix.pattern,
  },
  {
    kind: 'api_key',
    environment: 'live',
    head: 'ptc_live_',
    length: 51,
    minBits: 160,
    secretPattern: schemas.ApiKeySecret.pattern,
    prefixPattern: schemas.ApiKey.properties.prefix.pattern,
  },
  {
    kind: 'personal_token',
    environment: null,
    head: 'ptp_',
    length: 46,
    minBits: 160,
    secretPattern: schemas.PersonalTokenCreated.properties.token.pattern,
    prefixPattern: schemas.PersonalToken.properties.prefix.pattern,
  },
  {
    kind: 'oauth_client_secret',
    environment: 'live',
    head: 'pto_live_',
    length: 59,
    minBits: 256,
    secretPattern: schemas.OAuthClientCreated.properties.clientSecret.pattern,
    prefixPattern: null,
  },
  {
    kind: 'signing_secret',
    environment: 'test',
    head: 'pts_test_',
    length: 59,
    minBits: 256,
    secretPattern: schemas.SigningKeyCreated.properties.secret.pattern,
    prefixPattern: null,
  },
  {
    kind: 'invitation',
    environment: null,
    head: 'pti_',
    length: 46,
    minBits: 160,
    secretPattern: schemas.AcceptInvitationRequest.properties.token.pattern,
    prefixPattern: null,
  },
];

describe.each(kinds)('$kind in $environment', (c) => {
  test(`is ${c.head} + base62 body + 6-character checksum, ${c.length} characters in all`, () => {
    const { secret } = generateSecret(c.kind, c.environment);
    expect(secret).toHaveLength(c.length);
    expect(CREDENTIAL_FORMATS[c.kind].length).toBe(c.length);
    expect(secret.startsWith(c.head)).toBe(true);
    expect(secret.slice(c.head.length)).toMatch(/^[0-9A-Za-z]+$/);
  });

  test('matches the pattern the management API documents for it', () => {
    const { secret, prefix, last4 } = generateSecret(c.kind, c.environment);
    expect(secret).toMatch(new RegExp(c.secretPattern));
    expect(last4).toMatch(new RegExp(schemas.Last4.pattern));
    if (c.prefixPattern !== null) expect(prefix).toMatch(new RegExp(c.prefixPattern));
  });

  test(`carries at least ${c.minBits} random bits, and more than 160 beyond what the portal displays`, () => {
    const bits = randomBitsOf(c.kind);
    expect(bits).toBeGreaterThanOrEqual(c.minBits);
    // The display prefix shows 4 body characters; last4 (checksum characters) leaks at most 4 characters' worth.
    expect(bits - 2 * DISPLAY_BODY_LENGTH * BITS_PER_BASE62_CHAR).toBeGreaterThan(160);
  });

  test('ends in the base62 CRC32 (zlib) of everything before the checksum', () => {
    const { secret } = generateSecret(c.kind, c.environment);
    const body = secret.slice(0, -6);
    expect(secret.slice(-6)).toBe(encodeBase62Fixed(zlib.crc32(body), 6));
  });

  test('returns a display prefix of the head and 4 body characters, and the last 4 characters', () => {
    const { secret, prefix, last4 } = generateSecret(c.kind, c.environment);
    expect(prefix).toBe(secret.slice(0, c.head.length + 4));
    expect(last4).toBe(secret.slice(-4));
  });

  test('parses back as well-formed, with its environment', () => {
    const { secret } = generateSecret(c.kind, c.environment);
    expect(parseSecret(c.kind, secret)).toEqual({ ok: true, environment: c.environment });
  });

  test('detects every single-character substitution in the body and the checksum', () => {
    const { secret } = generateSecret(c.kind, c.environment);
    for (let i = c.head.length; i < secret.length; i++) {
      const by = secret[i] === 'a' ? 'b' : 'a';
      expect(parseSecret(c.kind, substitute(secret, i, by))).toEqual({ ok: false, reason: 'bad_checksum' });
    }
  });

  test('detects every transposition of two adjacent different characters', () => {
    const { secret } = generateSecret(c.kind, c.environment);
    for (let i = c.head.length; i < secret.length - 1; i++) {
      if (secret[i] === secret[i + 1]) continue;
      const swapped = secret.slice(0, i) + secret[i + 1] + secret[i] + secret.slice(i + 2);
      expect(parseSecret(c.kind, swapped).ok).toBe(false);
    }
  });

  test('is recognised by its tag', () => {
    expect(credentialKindOf(generateSecret(c.kind, c.environment).secret)).toBe(c.kind);
  });
});

describe('generateApiKey', () => {
  test('returns the key, its display prefix and its last four characters', () => {
    const { key, prefix, last4 } = generateApiKey('live');
    expect(key).toMatch(/^ptc_live_[0-9A-Za-z]{42}$/);
    expect(prefix).toBe(key.slice(0, 13));
    expect(last4).toBe(key.slice(-4));
  });

  // The checksum of this vector was also computed with Python's zlib.crc32, independently of this code.
  test('is reproducible from a fixed random source (golden vector shared with other implementations)', () => {
    const seed = Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256);
    const { key, prefix, last4 } = generateApiKey('test', replay(seed));
    expect(key).toBe(generateApiKey('test', replay(seed)).key);
    expect(parseApiKey(key)).toEqual({ ok: true, environment: 'test' });
    expect({ key, prefix, last4 }).toEqual({
      key: 'ptc_test_BmNyZAlEpQ1cDoHsT4fGrKvW7iJuNyZAlMxQ1m9WaL',
      prefix: 'ptc_test_BmNy',
      last4: '9WaL',
    });
  });

  test('never repeats a key across 10,000 generations', () => {
    const keys = new Set(Array.from({ length: 10_000 }, () => generateApiKey('test').key));
    expect(keys.size).toBe(10_000);
  });
});

describe('the other generators', () => {
  test.each([
    ['generatePersonalToken', () => generatePersonalToken().secret, /^ptp_[0-9A-Za-z]{42}$/],
    ['generateInvitationToken', () => generateInvitationToken().secret, /^pti_[0-9A-Za-z]{42}$/],
    [
      'generateOAuthClientSecret',
      () => generateOAuthClientSecret('test').secret,
      /^pto_test_[0-9A-Za-z]{50}$/,
    ],
    ['generateSigningSecret', () => generateSigningSecret('live').secret, /^pts_live_[0-9A-Za-z]{50}$/],
  ])('%s makes a secret of its own format', (_name, make, pattern) => {
    expect(make()).toMatch(pattern);
  });

  test.each<[CredentialKind, Environment | null]>([
    ['api_key', null],
    ['oauth_client_secret', null],
    ['personal_token', 'test'],
    ['invitation', 'live'],
  ])('refuses to make a %s with environment %s (a programming error)', (kind, environment) => {
    expect(() => generateSecret(kind, environment)).toThrow(TypeError);
  });
});

describe('parseApiKey', () => {
  const key = generateApiKey('test').key;
  const live = generateApiKey('live').key;

  test.each<[string, unknown]>([
    ['an empty string', ''],
    ['one character short', key.slice(0, -1)],
    ['one character long', `${key}a`],
    ['surrounding whitespace', ` ${key.slice(1)}`],
    ['a trailing newline', `${key.slice(0, -1)}\n`],
    ['an upper-case tag', `PTC${key.slice(3)}`],
    ['another tag', `ptx${key.slice(3)}`],
    ['a dash instead of the first underscore', `ptc-${key.slice(4)}`],
    ['an unknown environment', `ptc_prod_${key.slice(9)}`],
    ['an upper-case environment', `ptc_TEST_${key.slice(9)}`],
    ['a dash in the body', substitute(key, 20, '-')],
    ['an underscore in the body', substitute(key, 20, '_')],
    ['a non-ASCII letter in the body', substitute(key, 20, 'é')],
    ['a NUL in the body', substitute(key, 20, '\u0000')],
    ['a personal token', generatePersonalToken().secret],
    ['an OAuth client secret', generateOAuthClientSecret('test').secret],
    ['a JWT', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a Buffer of the key', Buffer.from(key)],
  ])('refuses %s as malformed', (_case, presented) => {
    expect(parseApiKey(presented)).toEqual({ ok: false, reason: 'malformed' });
  });

  test.each<[string, string]>([
    ['a test key relabelled live', `ptc_live_${key.slice(9)}`],
    ['a live key relabelled test', `ptc_test_${live.slice(9)}`],
    ['a changed body character', substitute(key, 15, key[15] === 'Q' ? 'R' : 'Q')],
    ['a changed checksum character', substitute(key, 50, key[50] === '0' ? '1' : '0')],
    ['a checksum of zzzzzz (beyond 32 bits)', `${key.slice(0, -6)}zzzzzz`],
  ])('refuses %s as a bad checksum', (_case, presented) => {
    expect(parseApiKey(presented)).toEqual({ ok: false, reason: 'bad_checksum' });
  });

  test('accepts test and live keys and says which', () => {
    expect(parseApiKey(key)).toEqual({ ok: true, environment: 'test' });
    expect(parseApiKey(live)).toEqual({ ok: true, environment: 'live' });
  });

  test('allocates no result: every answer is a shared frozen object', () => {
    expect(parseApiKey('nope')).toBe(parseApiKey(undefined));
    expect(parseApiKey(key)).toBe(parseApiKey(generateApiKey('test').key));
    expect(Object.isFrozen(parseApiKey('nope'))).toBe(true);
    expect(Object.isFrozen(parseApiKey(key))).toBe(true);
  });
});

describe('credentialKindOf', () => {
  test.each<[string, CredentialKind | null]>([
    ['ptc_test_x', 'api_key'],
    ['ptp_x', 'personal_token'],
    ['pto_live_x', 'oauth_client_secret'],
    ['pts_test_x', 'signing_secret'],
    ['pti_x', 'invitation'],
    ['ptx_x', null],
    ['ptc', null],
    ['ptcx_test', null],
    ['eyJhbGciOiJSUzI1NiJ9.e30.sig', null],
    ['', null],
  ])('reads %j as %s from its tag alone', (text, kind) => {
    expect(credentialKindOf(text)).toBe(kind);
  });
});
