import {
  generateApiKey,
  generateInvitationToken,
  generateOAuthClientSecret,
  generatePersonalToken,
  generateSigningSecret,
} from './key-format';
import { redactSecrets, scanForSecrets } from './secret-scan';

const apiKey = generateApiKey('live').key;
const personal = generatePersonalToken().secret;
const oauth = generateOAuthClientSecret('test').secret;
const signing = generateSigningSecret('live').secret;
const invitation = generateInvitationToken().secret;

/** The same secret with its last character changed, so its checksum fails. */
function corrupt(secret: string): string {
  return secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');
}

describe('scanForSecrets', () => {
  test('finds every kind of secret in a text, in order, with its kind, environment and position', () => {
    const text = `key=${apiKey}\n"token": "${personal}", secret ${oauth}; sig=${signing} (${invitation})`;
    expect(scanForSecrets(text)).toEqual([
      { kind: 'api_key', environment: 'live', index: 4, value: apiKey, checksumValid: true },
      {
        kind: 'personal_token',
        environment: null,
        index: text.indexOf(personal),
        value: personal,
        checksumValid: true,
      },
      {
        kind: 'oauth_client_secret',
        environment: 'test',
        index: text.indexOf(oauth),
        value: oauth,
        checksumValid: true,
      },
      {
        kind: 'signing_secret',
        environment: 'live',
        index: text.indexOf(signing),
        value: signing,
        checksumValid: true,
      },
      {
        kind: 'invitation',
        environment: null,
        index: text.indexOf(invitation),
        value: invitation,
        checksumValid: true,
      },
    ]);
  });

  test.each([
    ['a JSON string', (s: string) => JSON.stringify({ key: s })],
    ['a header line', (s: string) => `Authorization: Bearer ${s}\r\n`],
    ['a URL query', (s: string) => `https://x.test/?api_key=${s}&a=1`],
    ['a SQL insert', (s: string) => `INSERT INTO t VALUES ('${s}');`],
    ['a CSV cell', (s: string) => `a,${s},b`],
    ['a line of its own', (s: string) => s],
  ])('finds a key in %s', (_where, wrap) => {
    expect(scanForSecrets(wrap(apiKey)).map((m) => m.value)).toEqual([apiKey]);
  });

  test('reports a key-shaped string with a failing checksum, marked invalid (a dump must contain neither)', () => {
    const bad = corrupt(apiKey);
    expect(scanForSecrets(`x ${bad} y`)).toEqual([
      { kind: 'api_key', environment: 'live', index: 2, value: bad, checksumValid: false },
    ]);
  });

  test.each([
    ['a display prefix and last4', `ptc_live_${apiKey.slice(9, 13)} … ${apiKey.slice(-4)}`],
    ['a key cut short', apiKey.slice(0, -1)],
    ['a key inside a longer run of token characters', `${apiKey}A`],
    ['a key glued behind a word character', `x${apiKey}`],
    ['a key digest', 'k1:2mY0b1c3V3nL0cW9b2y8fJ4qQ3L6R0s2tPq1xYz9aBc'],
    ['a key with an unknown environment', `ptc_prod_${apiKey.slice(9)}`],
    ['an AES-GCM stored secret', 'v1:k1:3q2-7wAAAAAAAAAA:b3BhcXVl:dGFnLXRhZy10YWctdGFn'],
    ['plain prose', 'Portico keys start with ptc_ and the environment.'],
  ])('finds nothing in %s', (_what, text) => {
    expect(scanForSecrets(text)).toEqual([]);
  });

  test('can be called again and again (no shared regular-expression state)', () => {
    const text = `${apiKey} ${personal}`;
    expect(scanForSecrets(text)).toHaveLength(2);
    expect(scanForSecrets(text)).toHaveLength(2);
  });
});

describe('redactSecrets', () => {
  test('replaces every secret by its display prefix and last four characters', () => {
    const text = `used ${apiKey} and ${personal}`;
    expect(redactSecrets(text)).toBe(
      `used ${apiKey.slice(0, 13)}…${apiKey.slice(-4)} and ${personal.slice(0, 8)}…${personal.slice(-4)}`,
    );
  });

  test('leaves no secret behind, whatever the kind', () => {
    const redacted = redactSecrets(
      [apiKey, personal, oauth, signing, invitation, corrupt(apiKey)].join('\n'),
    );
    expect(scanForSecrets(redacted)).toEqual([]);
    for (const secret of [apiKey, personal, oauth, signing, invitation])
      expect(redacted).not.toContain(secret);
  });

  test('returns text without secrets unchanged', () => {
    expect(redactSecrets('nothing to see: ptc_test_ here')).toBe('nothing to see: ptc_test_ here');
  });
});
