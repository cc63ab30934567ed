// House rules for specs/ that a linter cannot express: every error is a problem document, id routes answer 404,
// and every public operation requires the scopes of its API (write scopes on anything that changes state).
import path from 'node:path';
import $RefParser from '@apidevtools/json-schema-ref-parser';

const SPECS = path.resolve(__dirname, '../../specs');
const PUBLIC_APIS = ['crm', 'orders', 'entitlements'] as const;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Operation {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, { schema?: { required?: string[] } }> }>;
  requestBody?: { content?: Record<string, unknown> };
}

async function operationsOf(api: string) {
  const doc = (await $RefParser.dereference(path.join(SPECS, api, 'openapi.yaml'))) as {
    security?: Operation['security'];
    paths: Record<string, Record<string, Operation>>;
  };
  const ops: Array<{ route: string; method: string; op: Operation; security: Operation['security'] }> = [];
  for (const [route, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) ops.push({ route, method, op, security: op.security ?? doc.security });
    }
  }
  return ops;
}

describe.each([...PUBLIC_APIS, 'platform'])('specs/%s', (api) => {
  test('every error response is application/problem+json with the Problem schema', async () => {
    for (const { route, method, op } of await operationsOf(api)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]/.test(status)) continue;
        const where = `${method.toUpperCase()} ${route} ${status}`;
        expect({ where, types: Object.keys(response.content ?? {}) }).toEqual({
          where,
          types: ['application/problem+json'],
        });
        expect({ where, required: response.content!['application/problem+json']!.schema?.required }).toEqual({
          where,
          required: expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']),
        });
      }
    }
  });

  test('operations on a path with an id document 404', async () => {
    for (const { route, method, op } of await operationsOf(api)) {
      if (!route.includes('{')) continue;
      expect({ op: `${method.toUpperCase()} ${route}`, has404: '404' in op.responses }).toEqual({
        op: `${method.toUpperCase()} ${route}`,
        has404: true,
      });
    }
  });

  test('operations with a body document 413 and 415', async () => {
    for (const { route, method, op } of await operationsOf(api)) {
      if (!op.requestBody) continue;
      const where = `${method.toUpperCase()} ${route}`;
      expect({ where, codes: ['413', '415'].filter((c) => c in op.responses) }).toEqual({
        where,
        codes: ['413', '415'],
      });
    }
  });
});

describe.each(PUBLIC_APIS)('specs/%s scopes', (api) => {
  test('every operation accepts an API key, an OAuth token or a signature, each with the same scopes of this API', async () => {
    for (const { route, method, security } of await operationsOf(api)) {
      const where = `${method.toUpperCase()} ${route}`;
      const schemes = (security ?? []).map((requirement) => Object.keys(requirement).join('+')).sort();
      expect({ where, schemes }).toEqual({ where, schemes: ['apiKey', 'oauth2', 'signature'] });
      const scopeSets = new Set((security ?? []).map((r) => JSON.stringify(Object.values(r)[0])));
      expect({ where, distinct: scopeSets.size }).toEqual({ where, distinct: 1 });
      const scopes = Object.values(security![0]!)[0]!;
      const expected = method === 'get' ? `${api}:read` : `${api}:write`;
      expect({ where, scopes }).toEqual({ where, scopes: [expected] });
    }
  });
});
