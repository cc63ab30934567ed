// Every backend answers only the gateway (DESIGN.md "Proxying"): a request without a valid identity assertion for
// that backend — none, the old identity headers, another backend's, an expired one, one signed by a key the backend
// does not know — is one 401 problem+json with the PorticoIdentity challenge and writes nothing; a valid one is
// served, and its data belongs to the partner and environment it asserts (another's record is a 404).
import { manualClock, type Clock } from '../internal/src/clock';
import { IDENTITY_CHALLENGE } from '../internal/src/http/identity-assertion-middleware';
import type { Identity } from '../internal/src/http/locals';
import { IDENTITY_ASSERTION_HEADER } from '../internal/src/identity/identity-assertion';
import { generateIdentityKey, type IdentityKey } from '../internal/src/identity/identity-keys';
import { createIdentitySigner } from '../internal/src/identity/identity-signer';
import type { ContractClient } from '../internal/src/testing/contract-client';
import { testCaller } from '../internal/src/testing/identity';
import { newTestIdentity, type TestService } from '../internal/src/testing/service-harness';
import { describeEachStore, type TestStore } from '../internal/src/testing/test-store';
import { startCrm } from './crm/src/crm-harness';
import { startEntitlements } from './entitlements/src/entitlements-harness';
import { orderBody } from './orders/src/order-fixtures';
import { startOrders } from './orders/src/orders-harness';

const START = '2026-03-01T12:00:00.000Z';

interface Backend {
  name: 'crm' | 'orders' | 'entitlements';
  start(store: TestStore, options: { clock: Clock }): Promise<TestService<any>>;
  table: string;
  create: { operationId: string; body: Record<string, unknown> };
  get: { operationId: string; param: string };
}

const backends: Backend[] = [
  {
    name: 'crm',
    start: startCrm,
    table: 'customers',
    create: { operationId: 'createCustomer', body: { kind: 'organization', name: 'Sunrise Family Clinic' } },
    get: { operationId: 'getCustomer', param: 'customerId' },
  },
  {
    name: 'orders',
    start: startOrders,
    table: 'orders',
    create: { operationId: 'createOrder', body: orderBody() },
    get: { operationId: 'getOrder', param: 'orderId' },
  },
  {
    name: 'entitlements',
    start: startEntitlements,
    table: 'items',
    create: {
      operationId: 'createItem',
      body: {
        type: 'service',
        name: 'Family doctor consultation',
        category: 'family_doctor',
        unit: 'session',
      },
    },
    get: { operationId: 'getItem', param: 'itemId' },
  },
];

describeEachStore('the identity gate of every backend', (store) => {
  describe.each(backends)('$name', (backend) => {
    const clock = manualClock(START);
    let svc: TestService<any>;
    let anonymous: ContractClient;
    const partnerA = newTestIdentity('test');
    beforeAll(async () => {
      svc = await backend.start(store, { clock });
      anonymous = svc.client.as(undefined);
    });
    afterAll(() => svc.close());

    const countRows = async () => {
      const row = await svc.database.db
        .selectFrom(backend.table)
        .select((eb: any) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number((row as { n: unknown }).n);
    };
    /** An assertion of partner A for this backend, signed with `key` at `at` (the gateway's signer otherwise). */
    const signedBy = (key: IdentityKey, at: string = START) => {
      const sign = createIdentitySigner({ privateKey: key.privateKey, kid: key.kid, clock: manualClock(at) });
      return { [IDENTITY_ASSERTION_HEADER]: sign(testCaller(partnerA), backend.name) };
    };
    const otherBackend = backends.find((b) => b.name !== backend.name)!.name;

    const refusals: Array<[string, () => Record<string, string>]> = [
      ['no assertion', () => ({})],
      [
        'the old X-Portico-Partner-Id / X-Portico-Environment headers only',
        () => ({ 'x-portico-partner-id': partnerA.partnerId, 'x-portico-environment': partnerA.environment }),
      ],
      [
        `an assertion for another backend (${otherBackend})`,
        () => svc.assertions.headersFor(partnerA, otherBackend),
      ],
      // Issued 2 minutes before the backend's clock: a 60 s lifetime ended well beyond the 5 s leeway.
      [
        'an expired assertion',
        () => signedBy(svc.assertions.key, new Date(Date.parse(START) - 120_000).toISOString()),
      ],
      ['an assertion signed by an unknown key', () => signedBy(generateIdentityKey('stranger').key)],
      [
        'an assertion signed by another key under the known kid',
        () => signedBy(generateIdentityKey(svc.assertions.key.kid).key),
      ],
    ];

    test.each(refusals)('refuses %s with the one 401 and writes nothing', async (_label, headers) => {
      const before = await countRows();
      const res = await anonymous.call(backend.create.operationId, {
        body: backend.create.body,
        headers: headers(),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(IDENTITY_CHALLENGE);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, code: 'unauthenticated' });
      expect(await countRows()).toBe(before);
    });

    test('serves a valid assertion, scoped to the partner and environment it asserts', async () => {
      const asA = svc.client.as(partnerA);
      // The gateway's own signer on the test key, as the refusals' control: the same request, only validly asserted.
      const created = await anonymous.call(backend.create.operationId, {
        body: backend.create.body,
        headers: signedBy(svc.assertions.key),
      });
      expect(created.status).toBe(201);
      const params = { [backend.get.param]: created.body.id as string };
      expect((await asA.call(backend.get.operationId, { params })).status).toBe(200);

      const strangers: Identity[] = [newTestIdentity('test'), { ...partnerA, environment: 'live' }];
      for (const stranger of strangers) {
        const res = await svc.client.as(stranger).call(backend.get.operationId, { params });
        expect({ stranger, status: res.status }).toEqual({ stranger, status: 404 });
        expect(res.body.code).toBe('not_found');
      }
    });
  });
});
