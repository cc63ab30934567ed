// The middleware on its own, in front of the CRM's handlers and spec (a real server and store): it serves the partner
// a gateway-signed assertion names, and refuses everything else with one identical 401 that carries WWW-Authenticate,
// reaches no handler and logs the reason. backends/identity-gate.test.ts runs the refusals against all three backends.
import { generateKeyPairSync, sign } from 'node:crypto';
import { Writable } from 'node:stream';
import { CRM_SPEC_PATH } from '../../../backends/crm/src/app';
import { activityOperations } from '../../../backends/crm/src/operations/activities';
import { contactOperations } from '../../../backends/crm/src/operations/contacts';
import { customerOperations } from '../../../backends/crm/src/operations/customers';
import { leadOperations } from '../../../backends/crm/src/operations/leads';
import { opportunityOperations } from '../../../backends/crm/src/operations/opportunities';
import { crmMigrations } from '../../../backends/crm/src/store/migrations';
import type { CrmTables } from '../../../backends/crm/src/store/schema';
import { manualClock } from '../clock';
import { createIdGenerator } from '../ids';
import { IDENTITY_TYP, PARTNER_CLAIM, identityClaims } from '../identity/identity-assertion';
import { generateIdentityKey } from '../identity/identity-keys';
import { createIdentitySigner } from '../identity/identity-signer';
import pino from 'pino';
import type { Database } from '../store/database';
import { createTestIdentityAssertions, TEST_IDENTITY_KID, testCaller } from '../testing/identity';
import { TestStore } from '../testing/test-store';
import {
  IDENTITY_ASSERTION_HEADER,
  IDENTITY_CHALLENGE,
  identityAssertion,
} from './identity-assertion-middleware';
import type { Identity } from './locals';
import { createServiceApp } from './service-app';
import { startServer, type RunningServer } from './start-server';

const START = '2026-03-01T12:00:00.000Z';
const partnerA: Identity = { partnerId: 'prt_assertA1', environment: 'test' };
const partnerB: Identity = { partnerId: 'prt_assertB1', environment: 'test' };
const customer = { kind: 'organization', name: 'Sunrise Family Clinic' };

describe('a CRM backend behind identityAssertion', () => {
  const clock = manualClock(START);
  const assertions = createTestIdentityAssertions({ clock });
  const store = new TestStore('sqlite', undefined);
  let database: Database<CrmTables>;
  let server: RunningServer;
  const logLines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(JSON.parse(chunk.toString('utf8')));
        done();
      },
    }),
  );

  beforeAll(async () => {
    database = await store.open<CrmTables>('crm', crmMigrations);
    const storeDeps = { db: database.db, clock, newId: createIdGenerator(() => clock.now().getTime()) };
    const app = createServiceApp({
      specPath: CRM_SPEC_PATH,
      handlers: {
        ...customerOperations(storeDeps),
        ...contactOperations(storeDeps),
        ...leadOperations(storeDeps),
        ...opportunityOperations(storeDeps),
        ...activityOperations(storeDeps),
      },
      authenticate: identityAssertion({ verifier: assertions.verifierFor('crm') }),
      logger,
      newId: storeDeps.newId,
      problemBaseUrl: 'https://portico.dev/problems/',
      maxBodyBytes: 64 * 1024,
      validateResponses: true,
    });
    server = await startServer(app);
  });
  afterAll(async () => {
    await server?.close();
    await store.cleanup();
  });

  const call = (method: 'GET' | 'POST', headers: Record<string, string>) =>
    fetch(`${server.baseUrl}/crm/v1/customers`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(method === 'POST' ? { body: JSON.stringify(customer) } : {}),
    });
  const countCustomers = async () =>
    Number(
      (
        await database.db
          .selectFrom('customers')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('serves the partner the signed assertion names, and only that partner', async () => {
    const created = await call('POST', assertions.headersFor(partnerA, 'crm'));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const listA = (await (await call('GET', assertions.headersFor(partnerA, 'crm'))).json()) as any;
    expect(listA.data.map((c: { id: string }) => c.id)).toContain(id);
    const listB = await call('GET', assertions.headersFor(partnerB, 'crm'));
    expect(listB.status).toBe(200);
    expect(((await listB.json()) as any).data).toEqual([]);
  });

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claimsA = () => identityClaims(testCaller(partnerA), 'crm', Math.floor(Date.parse(START) / 1000), 60);
  const refused: Array<[string, string, () => Record<string, string>]> = [
    ['no assertion', 'missing', () => ({})],
    [
      'the old identity headers only',
      'missing',
      () => ({ 'x-portico-partner-id': partnerA.partnerId, 'x-portico-environment': 'test' }),
    ],
    [
      'the assertion in Authorization instead of X-Portico-Identity',
      'missing',
      () => ({
        authorization: `Bearer ${assertions.headersFor(partnerA, 'crm')[IDENTITY_ASSERTION_HEADER]}`,
      }),
    ],
    [
      'an expired assertion',
      'expired',
      () => {
        const past = manualClock(new Date(Date.parse(START) - 120_000));
        const key = assertions.key;
        const old = createIdentitySigner({ privateKey: key.privateKey, kid: key.kid, clock: past });
        return { [IDENTITY_ASSERTION_HEADER]: old(testCaller(partnerA), 'crm') };
      },
    ],
    ["another backend's assertion", 'wrong_audience', () => assertions.headersFor(partnerA, 'orders')],
    [
      'an assertion signed by another key under the same kid',
      'bad_signature',
      () => {
        const forger = generateIdentityKey(TEST_IDENTITY_KID).key;
        const forge = createIdentitySigner({ privateKey: forger.privateKey, kid: forger.kid, clock });
        return { [IDENTITY_ASSERTION_HEADER]: forge(testCaller(partnerA), 'crm') };
      },
    ],
    [
      'alg none',
      'unsupported_header',
      () => ({
        [IDENTITY_ASSERTION_HEADER]: `${b64({ alg: 'none', kid: TEST_IDENTITY_KID, typ: IDENTITY_TYP })}.${b64(claimsA())}.`,
      }),
    ],
    [
      'an assertion whose partner was changed after signing',
      'bad_signature',
      () => {
        const genuine = assertions.headersFor(partnerA, 'crm')[IDENTITY_ASSERTION_HEADER]!;
        const [header, , signature] = genuine.split('.');
        const tampered = { ...claimsA(), [PARTNER_CLAIM]: partnerB.partnerId };
        return { [IDENTITY_ASSERTION_HEADER]: `${header}.${b64(tampered)}.${signature}` };
      },
    ],
    [
      'an assertion signed with an RSA key',
      'unsupported_header',
      () => {
        const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
        const input = `${b64({ alg: 'RS256', kid: TEST_IDENTITY_KID, typ: IDENTITY_TYP })}.${b64(claimsA())}`;
        return {
          [IDENTITY_ASSERTION_HEADER]: `${input}.${sign('sha256', Buffer.from(input), rsa).toString('base64url')}`,
        };
      },
    ],
  ];

  test.each(refused)(
    'refuses %s with the one 401, writing nothing and logging why',
    async (_label, reason, headers) => {
      const before = await countCustomers();
      const res = await call('POST', headers());
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(IDENTITY_CHALLENGE);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const { requestId, instance, ...body } = (await res.json()) as Record<string, unknown>;
      expect(typeof requestId).toBe('string');
      expect(instance).toBe('/crm/v1/customers');
      expect(body).toEqual({
        type: 'https://portico.dev/problems/unauthenticated',
        title: 'Authentication is required',
        status: 401,
        detail: 'A valid caller identity is required.',
        code: 'unauthenticated',
      });
      expect(await countCustomers()).toBe(before);
      const refusal = logLines.find((line) => line.requestId === requestId && line.msg === 'request refused');
      expect(refusal?.reason).toBe(`identity assertion refused: ${reason}`);
    },
  );
});
