// Failure classification and the retry rule, as tables.
import {
  classifyUpstreamError,
  mayRetry,
  upstreamProblem,
  mayHaveReachedUpstream,
  circuitOpenProblem,
  UpstreamTimeoutError,
} from './upstream-failure';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('classifyUpstreamError', () => {
  test.each([
    ['ECONNREFUSED', false, 'connect'],
    ['ECONNRESET', false, 'connect'],
    ['ENOTFOUND', false, 'connect'],
    ['ECONNRESET', true, 'broken'],
    ['UND_ERR_SOCKET', true, 'broken'],
    ['HPE_INVALID_CONSTANT', true, 'broken'],
    ['UND_ERR_CONNECT_TIMEOUT', false, 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', true, 'timeout'],
    ['UND_ERR_INVALID_ARG', false, 'other'],
    ['UND_ERR_CLOSED', false, 'other'],
  ] as const)('%s (written: %s) is %s', (code, written, kind) => {
    expect(classifyUpstreamError(withCode(code), written)).toBe(kind);
  });

  test('the proxy’s own deadline is a timeout', () => {
    expect(classifyUpstreamError(new UpstreamTimeoutError(100), false)).toBe('timeout');
  });
});

describe('mayRetry', () => {
  test.each([
    ['GET', undefined, true],
    ['HEAD', undefined, true],
    ['PUT', undefined, true],
    ['DELETE', undefined, true],
    ['OPTIONS', undefined, true],
    ['get', undefined, true],
    ['POST', undefined, false],
    ['POST', '', false],
    ['POST', 'idem-1', true],
    ['PATCH', undefined, false],
    ['PATCH', 'idem-1', true],
    ['CONNECT', 'idem-1', false],
  ] as const)('%s with Idempotency-Key %p → %s', (method, key, expected) => {
    expect(mayRetry(method, key)).toBe(expected);
  });
});

describe('problems', () => {
  const details = {
    upstream: 'crm',
    origin: 'http://127.0.0.1:4001',
    timeoutMs: 250,
    error: withCode('ECONNREFUSED'),
    written: false,
  };

  test('unreachable is 502, a timeout 504; the origin stays in the internal message only', () => {
    const bad = upstreamProblem('connect', details);
    expect([bad.code, bad.status]).toEqual(['bad_gateway', 502]);
    expect(bad.detail).not.toContain('127.0.0.1');
    expect(bad.message).toContain('http://127.0.0.1:4001');
    const slow = upstreamProblem('timeout', details);
    expect([slow.code, slow.status, slow.detail]).toEqual([
      'gateway_timeout',
      504,
      'The upstream service did not answer within 250 ms.',
    ]);
  });

  test('after the request reached the upstream, the problem says the outcome is unknown and is marked so', () => {
    const notSent = [upstreamProblem('connect', details), upstreamProblem('timeout', details)];
    const reached = [
      upstreamProblem('timeout', { ...details, written: true }),
      upstreamProblem('broken', { ...details, error: withCode('ECONNRESET'), written: true }),
    ];
    expect(notSent.map(mayHaveReachedUpstream)).toEqual([false, false]);
    expect(reached.map(mayHaveReachedUpstream)).toEqual([true, true]);
    expect(reached.map((p) => [p.status, p.detail])).toEqual([
      [
        504,
        'The upstream service did not answer within 250 ms. The request had reached it and may have taken effect: check before repeating it.',
      ],
      [
        502,
        'The connection to the upstream service broke before it answered. The request had reached it and may have taken effect: check before repeating it.',
      ],
    ]);
    expect(mayHaveReachedUpstream(new Error('x'))).toBe(false);
  });

  test('circuit open is 503 with Retry-After', () => {
    const open = circuitOpenProblem('crm', 7);
    expect([open.code, open.status, open.options.headers]).toEqual([
      'service_unavailable',
      503,
      { 'Retry-After': '7' },
    ]);
  });
});
