// The authentication policy maps every outcome of every scheme to a caller or to one identical 401, and the scope
// check answers 403 with the RFC 6750 challenge.
import { keyFailure, keyValid, KEY_FAILURES } from '../../../../keys/src/domain/outcomes';
import { TOKEN_FAILURES, tokenFailure } from '../../../../keys/src/oauth/token-outcomes';
import { renderProblem } from '../../../../internal/src/problem/problem';
import type { RouteOperation } from '../../routes';
import { createAuthenticator, unauthenticated, type Authentication } from './authenticate';
import { assertScopes } from './scopes';

const KEY = 'ptc_test_0123456789abcdefghijklmnopqrstuvwxyz0123';
const verifiedKey = {
  keyId: 'key_1',
  appId: 'app_1',
  partnerId: 'prt_1',
  environment: 'test' as const,
  scopes: ['crm:read' as const],
  planId: 'pln_1',
  expiresAt: null,
};

function authenticatorWith(keyOutcome = keyValid(verifiedKey), tokenOutcome = tokenFailure('malformed')) {
  const seen: string[] = [];
  const authenticate = createAuthenticator({
    verifyApiKey: async (k) => (seen.push(`key:${k}`), keyOutcome),
    verifyAccessToken: async (t) => (seen.push(`token:${t}`), tokenOutcome),
  });
  return { authenticate, seen };
}

const request = (headers: Record<string, string>) => ({
  method: 'GET',
  url: '/crm/v1/customers',
  headers,
  body: undefined,
});

describe('gateway authentication', () => {
  test('a valid key in either header becomes the caller', async () => {
    const { authenticate } = authenticatorWith();
    const variants: Array<Record<string, string>> = [
      { authorization: `Bearer ${KEY}` },
      { 'x-api-key': KEY },
    ];
    for (const headers of variants) {
      expect(await authenticate(request(headers))).toEqual({
        outcome: 'authenticated',
        caller: {
          scheme: 'apiKey',
          credentialId: 'key_1',
          appId: 'app_1',
          partnerId: 'prt_1',
          environment: 'test',
          scopes: ['crm:read'],
          planId: 'pln_1',
        },
      });
    }
  });

  test('a key in the query string is never read', async () => {
    const { authenticate, seen } = authenticatorWith();
    const result = await authenticate({ ...request({}), url: `/crm/v1/customers?api_key=${KEY}` });
    expect(result).toMatchObject({ outcome: 'refused', reason: 'none' });
    expect(seen).toEqual([]);
  });

  test('every key and token failure, no credential and an invalid header render the same 401 body', async () => {
    const refusals: Authentication[] = [];
    for (const failure of KEY_FAILURES) {
      refusals.push(
        await authenticatorWith(keyFailure(failure)).authenticate(
          request({ authorization: `Bearer ${KEY}` }),
        ),
      );
    }
    for (const failure of TOKEN_FAILURES) {
      refusals.push(
        await authenticatorWith(undefined, tokenFailure(failure)).authenticate(
          request({ authorization: 'Bearer a.b.c' }),
        ),
      );
    }
    refusals.push(await authenticatorWith().authenticate(request({})));
    refusals.push(await authenticatorWith().authenticate(request({ authorization: 'Basic x' })));
    refusals.push(
      await authenticatorWith().authenticate(request({ signature: 'x', 'signature-input': 'y' })),
    );
    const bodies = new Set(
      refusals.map((r) => {
        if (r.outcome !== 'refused') throw new Error('expected a refusal');
        const problem = unauthenticated(r);
        expect(problem.status).toBe(401);
        expect(problem.options.headers?.['WWW-Authenticate']).toMatch(/^Bearer realm="portico"/);
        return JSON.stringify(renderProblem(problem, { baseUrl: 'https://portico.dev/problems/' }));
      }),
    );
    expect(bodies.size).toBe(1);
  });

  test('a missing scope is a 403 insufficient_scope naming it; the right scope passes', () => {
    const operation = {
      operationId: 'createCustomer',
      scopes: { apiKey: ['crm:write'], oauth2: ['crm:write'], signature: ['crm:write'] },
    } as unknown as RouteOperation;
    const caller = {
      scheme: 'apiKey' as const,
      credentialId: 'k',
      appId: 'a',
      partnerId: 'p',
      environment: 'test' as const,
      scopes: ['crm:read'],
      planId: 'x',
    };
    expect(() => assertScopes(caller, operation)).toThrow(
      expect.objectContaining({ code: 'insufficient_scope', status: 403 }),
    );
    try {
      assertScopes(caller, operation);
    } catch (error) {
      expect(
        (error as { options: { headers: Record<string, string> } }).options.headers['WWW-Authenticate'],
      ).toBe('Bearer realm="portico", error="insufficient_scope", scope="crm:write"');
    }
    expect(() => assertScopes({ ...caller, scopes: ['crm:read', 'crm:write'] }, operation)).not.toThrow();
  });
});
