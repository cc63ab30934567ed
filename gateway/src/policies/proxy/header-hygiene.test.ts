// Header hygiene is a pure function: exact inputs, exact outputs.
import { buildResponseHeaders, buildUpstreamHeaders, type UpstreamHeaderContext } from './header-hygiene';

const context: UpstreamHeaderContext = {
  requestId: 'req_abc12345',
  clientAddress: '203.0.113.7',
  protocol: 'https',
  identity: { name: 'X-Portico-Identity', value: 'signed.jwt.value' },
};

describe('buildUpstreamHeaders', () => {
  test('drops hop-by-hop fields, Expect, Host, Content-Length, credentials and caller-supplied identity', () => {
    const out = buildUpstreamHeaders(
      {
        host: 'api.example.com',
        connection: 'keep-alive, X-Hop-Custom',
        'keep-alive': 'timeout=5',
        'proxy-connection': 'keep-alive',
        te: 'trailers',
        trailer: 'x-checksum',
        'transfer-encoding': 'chunked',
        upgrade: 'websocket',
        'x-hop-custom': 'dropped because Connection names it',
        expect: '100-continue',
        'content-length': '12',
        authorization: 'Bearer ptc_test_x',
        'proxy-authorization': 'Basic eA==',
        'x-api-key': 'ptc_test_y',
        signature: 'sig=:AAAA:',
        'signature-input': 'sig=("@method")',
        cookie: 'session=1',
        'x-portico-identity': 'forged.jwt',
        'x-portico-partner-id': 'prt_someone_else',
        'x-portico-environment': 'live',
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'http',
        forwarded: 'for=10.0.0.1',
        'x-real-ip': '10.0.0.1',
        'x-request-id': 'req_callerchosen',
        accept: 'application/json',
        'content-type': 'application/json',
        'idempotency-key': 'idem-1',
        'content-digest': 'sha-256=:abc=:',
      },
      context,
    );
    expect(out).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      'idempotency-key': 'idem-1',
      'content-digest': 'sha-256=:abc=:',
      via: '1.1 portico',
      forwarded: 'for=203.0.113.7;proto=https;host=api.example.com',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'api.example.com',
      'x-request-id': 'req_abc12345',
      'x-portico-identity': 'signed.jwt.value',
    });
  });

  test('appends our hop to an existing Via (RFC 9110 §7.6.3) with the received protocol version', () => {
    const out = buildUpstreamHeaders({ via: '1.1 cdn-edge, 1.0 fred' }, { ...context, httpVersion: '1.0' });
    expect(out.via).toBe('1.1 cdn-edge, 1.0 fred, 1.0 portico');
  });

  test('an identity header under any name is stripped and replaced by the gateway’s', () => {
    const out = buildUpstreamHeaders(
      { 'x-backend-identity': 'forged' },
      { ...context, identity: { name: 'X-Backend-Identity', value: 'ours' } },
    );
    expect(out['x-backend-identity']).toBe('ours');
  });

  test.each([
    ['::ffff:127.0.0.1', 'for=127.0.0.1', '127.0.0.1'],
    ['2001:db8::1', 'for="[2001:db8::1]"', '2001:db8::1'],
    [undefined, 'for=unknown', undefined],
  ])('describes client %s as RFC 7239 %s', (clientAddress, forwardedFor, xff) => {
    const out = buildUpstreamHeaders({}, { ...context, clientAddress, protocol: 'http' });
    expect(out.forwarded).toBe(`${forwardedFor};proto=http`);
    expect(out['x-forwarded-for']).toBe(xff);
  });

  test('quotes a Forwarded host that is not a token (a port has a colon)', () => {
    const out = buildUpstreamHeaders({ host: '127.0.0.1:8080' }, context);
    expect(out.forwarded).toBe('for=203.0.113.7;proto=https;host="127.0.0.1:8080"');
    expect(out['x-forwarded-host']).toBe('127.0.0.1:8080');
  });

  test('joins repeated values into one field line', () => {
    expect(buildUpstreamHeaders({ 'x-tag': ['a', 'b'] }, context)['x-tag']).toBe('a, b');
  });
});

describe('buildResponseHeaders', () => {
  test('drops hop-by-hop fields and those named in Connection, keeps the rest untouched', () => {
    expect(
      buildResponseHeaders({
        connection: 'keep-alive, X-Internal-Hop',
        'keep-alive': 'timeout=65',
        'transfer-encoding': 'chunked',
        trailer: 'x-checksum',
        upgrade: 'h2c',
        'proxy-authenticate': 'Basic',
        'x-internal-hop': 'secret',
        'content-type': 'application/json',
        'content-length': '42',
        'set-cookie': ['a=1', 'b=2'],
        'retry-after': '30',
      }),
    ).toEqual({
      'content-type': 'application/json',
      'content-length': '42',
      'set-cookie': ['a=1', 'b=2'],
      'retry-after': '30',
    });
  });
});
