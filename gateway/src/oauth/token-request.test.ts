// Reading a token request off the wire: RFC 6749 §2.3.1 Basic decoding (form-urlencoded before base64), one
// authentication method only, no repeated parameters, no parameters in the query, and the grant type's errors.
import { basicCredentials, parseTokenRequest } from './token-request';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** RFC 6749 Appendix B: each part form-urlencoded, then `id:secret` base64-encoded. */
function basic(id: string, secret: string): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

function parse(body: string, headers: Record<string, string> = FORM, url?: string) {
  return parseTokenRequest({ headers, body: Buffer.from(body), ...(url === undefined ? {} : { url }) });
}

describe('parseTokenRequest', () => {
  test('HTTP Basic credentials are form-decoded after base64 (RFC 6749 §2.3.1)', () => {
    expect(basicCredentials(basic('oac_1', 'se cr:et%+/'))).toEqual({
      ok: true,
      clientId: 'oac_1',
      clientSecret: 'se cr:et%+/',
    });
    expect(
      parse('grant_type=client_credentials&scope=crm%3Aread', {
        ...FORM,
        authorization: basic('oac_1', 's'),
      }),
    ).toEqual({
      ok: true,
      authMethod: 'client_secret_basic',
      clientId: 'oac_1',
      clientSecret: 's',
      scope: 'crm:read',
    });
  });

  test('client_secret_post reads the credentials from the body; a charset parameter is accepted', () => {
    expect(
      parse('grant_type=client_credentials&client_id=oac_1&client_secret=s', {
        'content-type': 'Application/X-WWW-Form-Urlencoded; charset=UTF-8',
      }),
    ).toEqual({
      ok: true,
      authMethod: 'client_secret_post',
      clientId: 'oac_1',
      clientSecret: 's',
      scope: undefined,
    });
  });

  test('Basic with the same client_id repeated in the body is accepted; a different one is not', () => {
    const headers = { ...FORM, authorization: basic('oac_1', 's') };
    expect(parse('grant_type=client_credentials&client_id=oac_1', headers)).toMatchObject({ ok: true });
    expect(parse('grant_type=client_credentials&client_id=oac_2', headers)).toMatchObject({
      ok: false,
      error: 'invalid_request',
      reason: 'two_client_ids',
    });
  });

  test('an empty parameter counts as omitted (RFC 6749 §3.1)', () => {
    expect(
      parse('grant_type=client_credentials&scope=&client_secret=', {
        ...FORM,
        authorization: basic('oac_1', 's'),
      }),
    ).toMatchObject({ ok: true, scope: undefined });
  });

  test.each([
    ['no content type', 'grant_type=client_credentials', {}, 'invalid_request', 'content_type'],
    [
      'a JSON body',
      '{"grant_type":"client_credentials"}',
      { 'content-type': 'application/json' },
      'invalid_request',
      'content_type',
    ],
    [
      'multipart',
      'grant_type=client_credentials',
      { 'content-type': 'multipart/form-data; boundary=x' },
      'invalid_request',
      'content_type',
    ],
    [
      'a repeated grant_type',
      'grant_type=client_credentials&grant_type=client_credentials',
      FORM,
      'invalid_request',
      'repeated_parameter',
    ],
    [
      'a repeated empty scope',
      'grant_type=client_credentials&scope=&scope=crm:read',
      FORM,
      'invalid_request',
      'repeated_parameter',
    ],
    [
      'Basic and client_secret at once',
      'grant_type=client_credentials&client_secret=s',
      { ...FORM, authorization: basic('oac_1', 's') },
      'invalid_request',
      'two_auth_methods',
    ],
    ['no grant_type', 'client_id=oac_1&client_secret=s', FORM, 'invalid_request', 'missing_grant_type'],
    [
      'the password grant',
      'grant_type=password&client_id=oac_1&client_secret=s',
      FORM,
      'unsupported_grant_type',
      'unsupported_grant_type',
    ],
    [
      'no credentials at all',
      'grant_type=client_credentials',
      FORM,
      'invalid_client',
      'no_client_authentication',
    ],
    [
      'a Bearer header',
      'grant_type=client_credentials',
      { ...FORM, authorization: 'Bearer abc' },
      'invalid_client',
      'unsupported_auth_scheme',
    ],
    [
      'Basic without a colon',
      'grant_type=client_credentials',
      { ...FORM, authorization: `Basic ${Buffer.from('oac_1').toString('base64')}` },
      'invalid_client',
      'malformed_basic',
    ],
    [
      'Basic with a broken percent-escape',
      'grant_type=client_credentials',
      { ...FORM, authorization: `Basic ${Buffer.from('oac_1:%zz').toString('base64')}` },
      'invalid_client',
      'malformed_basic',
    ],
    [
      'Basic that is not base64',
      'grant_type=client_credentials',
      { ...FORM, authorization: 'Basic b2FjXzE6cw=x' },
      'invalid_client',
      'malformed_basic',
    ],
    [
      'Basic with truncated base64',
      'grant_type=client_credentials',
      { ...FORM, authorization: 'Basic b2FjXzE6c' },
      'invalid_client',
      'malformed_basic',
    ],
  ])('refuses %s', (_name, body, headers, error, reason) => {
    expect(parse(body, headers as Record<string, string>)).toMatchObject({ ok: false, error, reason });
  });

  test('refuses token parameters in the query string, and reads nothing from it', () => {
    const body = 'grant_type=client_credentials&client_id=oac_1&client_secret=s';
    expect(parse(body, FORM, '/oauth/token?client_secret=s')).toMatchObject({
      ok: false,
      error: 'invalid_request',
      reason: 'parameters_in_query',
    });
    expect(
      parse('grant_type=client_credentials', FORM, '/oauth/token?client_id=oac_1&client_secret=s'),
    ).toMatchObject({
      ok: false,
      reason: 'parameters_in_query',
    });
    expect(parse(body, FORM, '/oauth/token?trace=1')).toMatchObject({ ok: true, clientSecret: 's' });
  });

  test('names a repeated token parameter but never echoes an unknown name', () => {
    expect(parse('scope=a&scope=b', FORM)).toMatchObject({
      description: 'The scope parameter is included more than once.',
    });
    expect(parse('%3Cscript%3E=1&%3Cscript%3E=2', FORM)).toMatchObject({
      description: 'A parameter is included more than once.',
    });
  });
});
