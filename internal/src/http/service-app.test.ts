// The service kit on its own (a tiny spec, no store): request ids, the identity gate, body parsing and every
// failure as problem+json — exercised in-process with supertest.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createIdGenerator } from '../ids';
import { createLogger } from '../logger';
import { ProblemError } from '../problem/problem';
import { createTestIdentityAssertions } from '../testing/identity';
import { IDENTITY_CHALLENGE, identityAssertion } from './identity-assertion-middleware';
import { createServiceApp } from './service-app';

const SPEC = `
openapi: 3.1.0
info: { title: Kit, version: 1.0.0 }
servers: [{ url: http://127.0.0.1/kit/v1 }]
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: false
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties: { name: { type: string, maxLength: 5 } }
      responses:
        '201': { description: created }
  /things/{thingId}:
    get:
      operationId: getThing
      parameters:
        - { name: thingId, in: path, required: true, schema: { type: string, pattern: '^t_[a-z]+$' } }
      responses:
        '200': { description: ok }
`;

describe('createServiceApp', () => {
  const assertions = createTestIdentityAssertions();
  let specPath: string;
  const seen: unknown[] = [];
  const app = () =>
    createServiceApp({
      specPath,
      handlers: {
        createThing: (req, res) => {
          seen.push(req.body);
          res.status(201).json({ ok: true });
        },
        getThing: (req, res) => {
          if (req.params.thingId === 't_boom') throw new Error('database password leaked?');
          if (req.params.thingId === 't_gone') throw new ProblemError('not_found', 'No thing.');
          res.json({ id: req.params.thingId, basePath: res.locals.basePath });
        },
      },
      authenticate: identityAssertion({ verifier: assertions.verifierFor('kit') }),
      logger: createLogger({ level: 'silent' }),
      newId: createIdGenerator(),
      problemBaseUrl: 'https://portico.dev/problems/',
      maxBodyBytes: 1024,
      validateResponses: false,
    });
  const caller = { partnerId: 'prt_kit1', environment: 'test' } as const;
  const as = assertions.headersFor(caller, 'kit');

  beforeAll(() => {
    specPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kit-')), 'openapi.yaml');
    fs.writeFileSync(specPath, SPEC);
  });
  beforeEach(() => (seen.length = 0));

  test('dispatches by operationId with path parameters and echoes a well-formed X-Request-Id', async () => {
    const res = await request(app())
      .get('/kit/v1/things/t_abc')
      .set(as)
      .set('x-request-id', 'req_from_gateway_1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 't_abc', basePath: '/kit/v1' });
    expect(res.headers['x-request-id']).toBe('req_from_gateway_1');
  });

  test('replaces a malformed X-Request-Id with its own', async () => {
    const res = await request(app())
      .get('/kit/v1/things/t_abc')
      .set(as)
      .set('x-request-id', 'bad id\twith tab');
    expect(res.headers['x-request-id']).toMatch(/^req_[0-9A-Z]{26}$/);
  });

  test('refuses a missing or malformed identity with 401 and a challenge', async () => {
    for (const headers of [
      {},
      { 'x-portico-partner-id': 'prt_kit1', 'x-portico-environment': 'test' },
      assertions.headersFor(caller, 'crm'),
    ]) {
      const res = await request(app()).get('/kit/v1/things/t_abc').set(headers);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(IDENTITY_CHALLENGE);
      expect(res.body.code).toBe('unauthenticated');
    }
  });

  test('a body without Content-Type is refused with 415, not silently dropped', async () => {
    const res = await request(app())
      .post('/kit/v1/things')
      .set(as)
      .set('content-type', '')
      .send(Buffer.from('{"name":"a"}'));
    expect(res.status).toBe(415);
    expect(res.body.errors).toEqual([{ header: 'content-type', detail: expect.any(String) }]);
    expect(seen).toEqual([]);
  });

  test('an optional body may be absent, and a charset parameter is fine', async () => {
    expect((await request(app()).post('/kit/v1/things').set(as)).status).toBe(201);
    const res = await request(app())
      .post('/kit/v1/things')
      .set(as)
      .set('content-type', 'application/json; charset=utf-8')
      .send('{"name":"a"}');
    expect(res.status).toBe(201);
    expect(seen).toEqual([{}, { name: 'a' }]);
    // The spec decides the media types: +json variants it does not list are refused.
    const other = await request(app())
      .post('/kit/v1/things')
      .set(as)
      .set('content-type', 'application/merge-patch+json')
      .send('{"name":"a"}');
    expect(other.status).toBe(415);
  });

  test('malformed JSON, an oversized body and a bad path parameter are 4xx problems naming the culprit', async () => {
    const malformed = await request(app()).post('/kit/v1/things').set(as).type('json').send('{"name":');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'malformed_json', errors: [{ pointer: '' }] });
    const big = await request(app())
      .post('/kit/v1/things')
      .set(as)
      .type('json')
      .send(JSON.stringify({ name: 'x'.repeat(2000) }));
    expect(big.status).toBe(413);
    const badParam = await request(app()).get('/kit/v1/things/NOPE').set(as);
    expect(badParam.status).toBe(400);
    expect(badParam.body.errors).toEqual([expect.objectContaining({ parameter: 'thingId' })]);
    expect(seen).toEqual([]);
  });

  test('an unexpected error is a 500 whose body reveals nothing internal; a ProblemError renders as itself', async () => {
    const boom = await request(app()).get('/kit/v1/things/t_boom').set(as);
    expect(boom.status).toBe(500);
    expect(boom.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(boom.text).not.toMatch(/password|Error:|at /);
    expect(boom.body.requestId).toBe(boom.headers['x-request-id']);
    const gone = await request(app()).get('/kit/v1/things/t_gone').set(as);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ code: 'not_found', instance: '/kit/v1/things/t_gone' });
  });

  test('unknown paths inside and outside the API are 404 problems, a wrong method a 405 with Allow', async () => {
    expect((await request(app()).get('/kit/v1/nothing').set(as)).body.code).toBe('route_not_found');
    expect((await request(app()).get('/').set(as)).body.code).toBe('route_not_found');
    const wrong = await request(app()).delete('/kit/v1/things').set(as);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toMatch(/POST/);
  });

  test('NUL characters (which PostgreSQL cannot store) are refused with pointers, in bodies and queries', async () => {
    const res = await request(app())
      .post('/kit/v1/things')
      .set(as)
      .type('json')
      .send(JSON.stringify({ name: 'a\u0000b' }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/name' })]);
    const query = await request(app()).get('/kit/v1/things/t_abc?x=%00').set(as);
    expect(query.status).toBe(400);
    expect(query.body.errors).toEqual([expect.objectContaining({ parameter: 'x' })]);
    expect(seen).toEqual([]);
  });
});
