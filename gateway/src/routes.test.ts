// The route table knows every public operation of the specs, matches paths to them with their parameters, and
// tells a wrong method (405 + Allow) from an unknown path (404).
import path from 'node:path';
import { loadRouteTable, RouteTable } from './routes';
import { operationIdsOf } from '../../internal/src/http/spec-operations';

const SPECS = path.resolve(__dirname, '../../specs');
const table = loadRouteTable(SPECS);

describe('route table from the specs', () => {
  test('holds exactly the operations of the three public specs', () => {
    const expected = ['crm', 'orders', 'entitlements'].flatMap((api) =>
      operationIdsOf(path.join(SPECS, api, 'openapi.yaml')),
    );
    expect(table.operations.map((o) => o.operationId).sort()).toEqual(expected.sort());
  });

  test('every operation needs <api>:read for GET and <api>:write otherwise, in every scheme', () => {
    for (const op of table.operations) {
      const scope = `${op.api}:${op.method === 'GET' ? 'read' : 'write'}`;
      expect({ op: op.operationId, scopes: op.scopes }).toEqual({
        op: op.operationId,
        scopes: { apiKey: [scope], oauth2: [scope], signature: [scope] },
      });
    }
  });

  test('every templated path matches its own operation with its parameters', () => {
    for (const op of table.operations) {
      const concrete = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => `${name}%2Fvalue`);
      const matched = table.match(op.method, `${op.basePath}${concrete}`);
      expect(matched.kind).toBe('operation');
      if (matched.kind !== 'operation') continue;
      expect(matched.operation.operationId).toBe(op.operationId);
      for (const value of Object.values(matched.params)) expect(value).toMatch(/\/value$/);
    }
  });

  test('operations that declare Idempotency-Key are marked: every creating POST, no read', () => {
    const table = loadRouteTable(SPECS);
    const marked = table.operations.filter((o) => o.takesIdempotencyKey);
    expect(marked.every((o) => o.method === 'POST')).toBe(true);
    expect(marked.map((o) => o.operationId)).toEqual(
      expect.arrayContaining(['createCustomer', 'createOrder', 'createGrant']),
    );
    expect(table.operations.find((o) => o.operationId === 'listCustomers')?.takesIdempotencyKey).toBe(false);
  });

  test('literal segments win over parameters, a trailing slash is the same path, HEAD is GET', () => {
    const t = new RouteTable();
    const base = {
      api: 'crm' as const,
      basePath: '/crm/v1',
      scopes: {},
      hasBody: false,
      takesIdempotencyKey: false,
    };
    t.add({ ...base, operationId: 'getThing', method: 'GET', path: '/things/{id}' });
    t.add({ ...base, operationId: 'searchThings', method: 'GET', path: '/things/search' });
    expect(t.match('GET', '/crm/v1/things/search')).toMatchObject({
      operation: { operationId: 'searchThings' },
    });
    expect(t.match('GET', '/crm/v1/things/thg_1/')).toMatchObject({ params: { id: 'thg_1' } });
    expect(t.match('HEAD', '/crm/v1/things/thg_1')).toMatchObject({ kind: 'operation' });
  });

  test('a known path with another method is 405 with Allow; unknown paths and bad encodings are 404', () => {
    expect(table.match('DELETE', '/crm/v1/customers')).toEqual({
      kind: 'method_not_allowed',
      allow: ['GET', 'POST'],
    });
    expect(table.match('GET', '/crm/v1/nothing')).toEqual({ kind: 'not_found' });
    expect(table.match('GET', '/crm/v2/customers')).toEqual({ kind: 'not_found' });
    expect(table.match('GET', '/crm/v1/customers/%E0%A4%A')).toEqual({ kind: 'not_found' });
    expect(table.match('GET', '/')).toEqual({ kind: 'not_found' });
  });
});
