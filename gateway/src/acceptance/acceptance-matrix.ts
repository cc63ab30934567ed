// The gateway's acceptance matrix, generated from the route table: for every protected operation of crm, orders and
// entitlements — no credential, a malformed, unknown, revoked or expired key (401, one body), a key without the
// operation's scope (403), an invalid body (400 with pointers), an exhausted quota (429 with Retry-After) and a valid
// request (the documented 2xx, with RateLimit headers). Recorders in front of the backends then prove that the
// backends received exactly the requests meant to pass, stripped of the caller's credentials.
import { jwtVerify } from 'jose';
import { loadConfig } from '../../../internal/src/config';
import {
  IDENTITY_ASSERTION_HEADER,
  IDENTITY_ISSUER,
  PARTNER_CLAIM,
} from '../../../internal/src/identity/identity-assertion';
import type { Dialect } from '../../../internal/src/store/database';
import { loadSpec, type LoadedSpec } from '../../../internal/src/testing/spec-contract';
import { generateApiKey } from '../../../keys/src/domain/key-format';
import { SPECS_DIR } from '../gateway-process';
import { loadRouteTable, PUBLIC_APIS, type PublicApi, type RouteOperation } from '../routes';
import { ALL_PUBLIC_SCOPES, type TestCredential } from '../testing/test-platform';
import { startAcceptancePlatform, type AcceptancePlatform } from './acceptance-platform';
import { MARKER_HEADER, MatrixClient, type MatrixResponse } from './matrix-client';
import { invalidBody, requestDocs, withRealIds, type OperationRequestDoc } from './request-examples';
import { SCENARIOS } from './scenarios';
import { expandPath, World } from './world';

/** Never forwarded to a backend (DESIGN.md "Proxying"): the caller's credentials are the gateway's business. */
const CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'signature', 'signature-input', 'cookie'];
const QUOTA_PER_DAY = 2;
const PROBLEM_JSON = /^application\/problem\+json\b/;
// draft-ietf-httpapi-ratelimit-headers: `"day";r=9876;t=3600` and `"burst";q=50;w=1, "day";q=10000;w=86400`.
const RATE_LIMIT = /^"[^"]+";r=\d+;t=\d+$/;
const RATE_LIMIT_POLICY = /^"[^"]+";q=\d+;w=\d+(, "[^"]+";q=\d+;w=\d+)*$/;

interface BadCredentials {
  malformed: string;
  unknown: string;
  revoked: string;
  expired: string;
}

export function defineAcceptanceMatrix(dialect: Dialect): void {
  const { databaseUrl, redisUrl } = loadConfig();
  const title = `gateway acceptance matrix [${dialect}${redisUrl ? ' + redis' : ''}]`;
  if (dialect === 'postgres' && !databaseUrl) {
    describe.skip(`${title} (skipped: DATABASE_URL is not set)`, () => {
      test('runs on PostgreSQL', () => undefined);
    });
    return;
  }
  const operations = loadRouteTable(SPECS_DIR).operations;

  describe(title, () => {
    let acceptance: AcceptancePlatform;
    let client: MatrixClient;
    let world: World;
    let docs: Map<string, OperationRequestDoc>;
    const specs = new Map<PublicApi, LoadedSpec>();
    let main: TestCredential;
    let bad: BadCredentials;
    /** A key of the main app lacking exactly that scope, per scope. */
    const lacking = new Map<string, TestCredential>();
    let exhausted: TestCredential;

    beforeAll(async () => {
      acceptance = await startAcceptancePlatform({ dialect, ...(redisUrl ? { redisUrl } : {}) });
      const platform = acceptance.platform;
      client = new MatrixClient(platform.gatewayUrl);
      docs = await requestDocs(SPECS_DIR);
      for (const api of PUBLIC_APIS) specs.set(api, await loadSpec(`${SPECS_DIR}/${api}/openapi.yaml`));
      main = await platform.partner({ name: 'Acceptance main partner' });
      world = new World(client, new Map(operations.map((o) => [o.operationId, o])), docs, main);
      for (const scope of ALL_PUBLIC_SCOPES) {
        lacking.set(
          scope,
          await platform.addKey(main, { scopes: ALL_PUBLIC_SCOPES.filter((s) => s !== scope) }),
        );
      }
      const quotaPlan = await platform.plan({
        quotas: [{ name: 'day', limit: QUOTA_PER_DAY, period: 'day' }],
      });
      exhausted = await platform.partner({ planId: quotaPlan, name: 'Acceptance quota partner' });
      bad = {
        malformed: 'ptc_test_garbage',
        // Well-formed, with a valid checksum, and never stored.
        unknown: generateApiKey('test').key,
        revoked: await revokedKey(),
        expired: await expiredKey(),
      };
    }, 120_000);

    afterAll(async () => {
      client?.close();
      await acceptance?.stop();
    });

    /** A key that worked (so the gateway has it cached), then was revoked; waits until the refusal shows. */
    async function revokedKey(): Promise<string> {
      const key = await acceptance.platform.addKey(main);
      const list = {
        method: 'GET',
        target: '/crm/v1/customers',
        headers: { authorization: `Bearer ${key.apiKey}` },
      };
      const warm = await client.send('listCustomers', list);
      expect(warm.status).toBe(200);
      client.admit('listCustomers', warm, key);
      await acceptance.platform.revoke(key);
      // DESIGN.md: a revocation reaches every gateway within 1 s; the guarantee has its own tests, this only waits.
      for (let attempt = 0; attempt < 100; attempt++) {
        const probe = await client.send('listCustomers', list);
        if (probe.status === 401) return key.apiKey;
        client.admit('listCustomers', probe, key);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the revoked key was still accepted after 5 s');
    }

    /** A key that worked (cached), then reached its expiry: the injected clock moves past it, nobody sleeps. */
    async function expiredKey(): Promise<string> {
      const lifetimeMs = 60_000;
      const expiresAt = new Date(acceptance.clock.now().getTime() + lifetimeMs).toISOString();
      const key = await acceptance.platform.addKey(main, { expiresAt });
      const list = { method: 'GET', target: '/crm/v1/customers', headers: { 'x-api-key': key.apiKey } };
      const warm = await client.send('listCustomers', list);
      expect(warm.status).toBe(200);
      client.admit('listCustomers', warm, key);
      acceptance.clock.advance(lifetimeMs + 1_000);
      return key.apiKey;
    }

    function expectProblem(op: RouteOperation, response: MatrixResponse, status: number, code: string): void {
      expect({ status: response.status, body: response.json }).toMatchObject({
        status,
        body: { code, status },
      });
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect((response.json as { requestId?: string }).requestId).toBe(response.headers['x-request-id']);
      const errors = specs
        .get(op.api)!
        .validateResponse(
          op.operationId,
          response.status,
          response.headers['content-type'] ?? null,
          response.json,
        );
      expect(errors).toEqual([]);
    }

    test('every operation of crm, orders and entitlements is in the matrix with a scenario', () => {
      const apis = new Set(operations.map((o) => o.api));
      expect([...apis].sort()).toEqual([...PUBLIC_APIS].sort());
      expect(operations.map((o) => o.operationId).filter((id) => !SCENARIOS[id])).toEqual([]);
      expect(operations.every((o) => (o.scopes.apiKey ?? []).length > 0)).toBe(true);
    });

    test(`an app on a quota of ${QUOTA_PER_DAY} a day is answered ${QUOTA_PER_DAY} times, then refused`, async () => {
      const list = {
        method: 'GET',
        target: '/crm/v1/customers',
        headers: { authorization: `Bearer ${exhausted.apiKey}` },
      };
      for (let left = QUOTA_PER_DAY - 1; left >= 0; left--) {
        const answered = await client.send('listCustomers', list);
        expect(answered.status).toBe(200);
        expect(answered.headers.ratelimit).toMatch(new RegExp(`^"day";r=${left};t=\\d+$`));
        client.admit('listCustomers', answered, exhausted);
      }
      const refused = await client.send('listCustomers', list);
      expect(refused.status).toBe(429);
    });

    describe.each(operations.map((operation, index) => ({ ...operation, index })))(
      '$operationId ($method $path)',
      (op) => {
        let target: string;
        let body: unknown;
        let doc: OperationRequestDoc;
        const send = (
          headers: Record<string, string>,
          extra: { body?: unknown; localAddress?: string } = {},
        ) =>
          client.send(op.operationId, {
            method: op.method,
            target,
            headers,
            ...('body' in extra ? { body: extra.body } : body === undefined ? {} : { body }),
            ...(extra.localAddress ? { localAddress: extra.localAddress } : {}),
          });

        beforeAll(async () => {
          doc = docs.get(op.operationId)!;
          const scenario = await SCENARIOS[op.operationId]!(world);
          body = doc.bodyExample === undefined ? undefined : withRealIds(doc.bodyExample, scenario.ids ?? {});
          if (scenario.body && body !== undefined) body = scenario.body(body as Record<string, unknown>);
          const query = new URLSearchParams(doc.query).toString();
          target = `${expandPath(op, scenario.params ?? {})}${query ? `?${query}` : ''}`;
        });

        test('no, malformed, unknown, revoked and expired credentials: 401, one body for all', async () => {
          // Failed authentications are counted per client address (60 a minute, then a block): each operation's
          // refusals come from an address of their own in 127.0.0.0/8, so the matrix never trips the block.
          const localAddress = `127.${Math.floor(op.index / 240)}.1.${10 + (op.index % 240)}`;
          const presented: Array<[string, Record<string, string>]> = [['none', {}]];
          for (const [reason, key] of Object.entries(bad)) {
            presented.push([`${reason} (Authorization)`, { authorization: `Bearer ${key}` }]);
            presented.push([`${reason} (X-API-Key)`, { 'x-api-key': key }]);
          }
          const bodies = new Map<string, unknown>();
          for (const [reason, headers] of presented) {
            const refused = await send(headers, { localAddress });
            expectProblem(op, refused, 401, 'unauthenticated');
            // RFC 6750 §3.1: no error code when the request carried no credential at all.
            expect([reason, refused.headers['www-authenticate']]).toEqual([
              reason,
              reason === 'none' ? 'Bearer realm="portico"' : 'Bearer realm="portico", error="invalid_token"',
            ]);
            const { requestId: _unique, ...rest } = refused.json as Record<string, unknown>;
            bodies.set(reason, rest);
          }
          const first = bodies.get('none');
          for (const [reason, rest] of bodies) expect([reason, rest]).toEqual([reason, first]);
        });

        test('a key without the operation scope: 403 insufficient_scope', async () => {
          const scope = op.scopes.apiKey![0]!;
          const refused = await send({ authorization: `Bearer ${lacking.get(scope)!.apiKey}` });
          expectProblem(op, refused, 403, 'insufficient_scope');
          expect(refused.headers['www-authenticate']).toContain(`scope="${scope}"`);
        });

        test('an invalid body: 400 validation_failed naming the pointer', async () => {
          // An operation without a body is sent one (refused as a whole, pointer ''); the others get a member of
          // the wrong type.
          const broken = op.hasBody ? invalidBody(doc, body) : { body: { unexpected: true }, pointer: '' };
          const refused = await send({ 'x-api-key': main.apiKey }, { body: broken.body });
          expectProblem(op, refused, 400, 'validation_failed');
          const pointers = (refused.json as { errors: Array<{ pointer?: string }> }).errors.map(
            (e) => e.pointer,
          );
          expect(pointers).toContain(broken.pointer);
        });

        test(`over quota: 429 rate_limited with Retry-After`, async () => {
          const refused = await send({ authorization: `Bearer ${exhausted.apiKey}` });
          expectProblem(op, refused, 429, 'rate_limited');
          expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
          expect(refused.headers['retry-after']).toMatch(/^\d+$/);
          expect(refused.headers.ratelimit).toMatch(/^"day";r=0;t=\d+$/);
          expect(refused.headers['ratelimit-policy']).toBe(`"day";q=${QUOTA_PER_DAY};w=86400`);
        });

        test('a valid request: the backend answers the documented 2xx, with RateLimit headers', async () => {
          // Credentials both ways, plus what a browser or a forger adds: none of it may reach the backend.
          const credential: Record<string, string> =
            op.index % 2 === 0 ? { authorization: `Bearer ${main.apiKey}` } : { 'x-api-key': main.apiKey };
          const answered = await send({
            ...credential,
            cookie: 'portal_session=acceptance',
            [IDENTITY_ASSERTION_HEADER]: 'forged',
            'x-forwarded-for': '203.0.113.9',
          });
          expect({ status: answered.status, body: answered.json }).toMatchObject({
            status: doc.successStatus,
          });
          client.admit(op.operationId, answered, main);
          expect(answered.headers.ratelimit).toMatch(RATE_LIMIT);
          expect(answered.headers['ratelimit-policy']).toMatch(RATE_LIMIT_POLICY);
          const errors = specs
            .get(op.api)!
            .validateResponse(
              op.operationId,
              answered.status,
              answered.headers['content-type'] ?? null,
              answered.json,
            );
          expect(errors).toEqual([]);
        });
      },
    );

    test('the backends received exactly the admitted requests, with the identity assertion and no credentials', async () => {
      const table = loadRouteTable(SPECS_DIR);
      const admitted = new Map(client.admitted.map((a) => [a.marker, a]));
      const received: string[] = [];
      for (const api of PUBLIC_APIS) {
        for (const request of acceptance.recorders[api].requests) {
          const marker = String(request.headers[MARKER_HEADER]);
          received.push(marker);
          const expected = admitted.get(marker);
          if (!expected) continue; // reported by the comparison below, with the operation that was sent
          const pathname = new URL(request.url, 'http://backend').pathname;
          const match = table.match(request.method, pathname);
          expect({
            marker,
            api,
            operation: match.kind === 'operation' ? match.operation.operationId : match.kind,
          }).toEqual({
            marker,
            api: table.operations.find((o) => o.operationId === expected.operationId)!.api,
            operation: expected.operationId,
          });
          const headers = request.headers;
          expect({
            marker,
            present: CREDENTIAL_HEADERS.filter((name) => headers[name] !== undefined),
          }).toEqual({
            marker,
            present: [],
          });
          expect(headers['x-request-id']).toBe(expected.requestId);
          expect(headers.via).toMatch(/\bportico$/);
          expect(headers['x-forwarded-for']).not.toBe('203.0.113.9');
          const { payload } = await jwtVerify(
            String(headers[IDENTITY_ASSERTION_HEADER]),
            acceptance.identityKey.publicKey,
            {
              issuer: IDENTITY_ISSUER,
              audience: api,
            },
          );
          expect({ sub: payload.sub, partner: payload[PARTNER_CLAIM] }).toEqual({
            sub: expected.keyId,
            partner: expected.partnerId,
          });
        }
      }
      const describeMarker = (marker: string) => `${marker} ${client.sent.get(marker)?.operationId ?? '?'}`;
      const order = (markers: string[]) => markers.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
      expect(order(received).map(describeMarker)).toEqual(order([...admitted.keys()]).map(describeMarker));
      const valid = new Set(client.admitted.map((a) => a.operationId));
      expect(operations.filter((o) => !valid.has(o.operationId)).map((o) => o.operationId)).toEqual([]);
      process.stdout.write(
        `${title}: ${operations.length} operations, ${client.sent.size} requests sent, ` +
          `${client.admitted.length} reached a backend\n`,
      );
    });
  });
}
