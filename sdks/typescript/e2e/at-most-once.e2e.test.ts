// An Idempotency-Key acts at most once, seen through the SDK against the real crm backend: a proxy between the
// gateway and the backend lets createCustomer reach the backend (which creates the customer) and holds its answer
// back. Longer than the gateway's upstream timeout, the call ends with the gateway's 504 "may have taken effect",
// kept for the key — the SDK's retry and a later call with the same key get it replayed, not a second customer.
// Shorter, but longer than the caller waits, the caller leaves with a TimeoutError and the gateway still takes the
// backend's 201 and keeps it for the key.
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { ProblemError, TimeoutError, type Portico } from '@portico/sdk';
import { startDelayingProxy, type BackendExchange, type DelayingProxy } from './testing/delaying-proxy';
import { onboardPartner, porticoWith, type OnboardedPartner } from './testing/onboard-partner';
import { recordingFetch, type FetchAttempt } from './testing/recording-fetch';
import { describeEachVariant, startPlatform, type RunningPlatform } from './testing/running-platform';

/** The gateway's PORTICO_UPSTREAM_TIMEOUT_MS for this suite. */
const UPSTREAM_TIMEOUT_MS = 2_000;
/** Well past the upstream timeout: the gateway gives up first. */
const SLOWER_THAN_GATEWAY_MS = UPSTREAM_TIMEOUT_MS + 1_000;
/** Longer than the caller waits, well within the gateway's upstream timeout. */
const SLOWER_THAN_CALLER_MS = 600;
const CALLER_TIMEOUT_MS = 200;
/**
 * The gateway writes its 504 and then stores it for the key; a retry that arrives in between gets a 409 "still in
 * flight" (which the SDK waits out: a third attempt). Delaying the first answer this long on its way to the SDK, as
 * a slow network would, makes the SDK's retry meet the stored answer, so that the attempts can be counted exactly.
 */
const ANSWER_LATENCY_MS = 200;

const isCreateCustomer = (request: { method: string; target: string }) =>
  request.method === 'POST' && /\/customers(\?|$)/.test(request.target);

describeEachVariant('an Idempotency-Key acts at most once: the SDK against a slow crm backend', (variant) => {
  let crm: DelayingProxy;
  let running: RunningPlatform;
  let partner: OnboardedPartner;

  beforeAll(async () => {
    crm = await startDelayingProxy();
    running = await startPlatform(variant, {
      env: { PORTICO_UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS) },
      crmVia: crm,
    });
    partner = await onboardPartner(running.portalUrl, 'At Most Once Pharmacy');
  });
  afterAll(async () => {
    await crm?.close();
    await running?.stop();
  });

  /** A name no other test uses, so that a search by name finds only what this test created. */
  const uniqueName = (label: string) => `${label} ${randomBytes(4).toString('hex')}`;

  async function customersNamed(
    portico: Portico,
    name: string,
  ): Promise<Array<{ id: string; name: string }>> {
    const found: Array<{ id: string; name: string }> = [];
    for await (const customer of portico.crm.paginate('listCustomers', { params: { query: { q: name } } })) {
      found.push({ id: customer.id, name: customer.name });
    }
    return found;
  }

  /** The createCustomer requests that reached the backend since `from`. */
  const creationsAtBackend = (from: number): BackendExchange[] =>
    crm.exchanges.slice(from).filter(isCreateCustomer);
  const posts = (attempts: readonly FetchAttempt[]) =>
    attempts
      .filter((attempt) => attempt.method === 'POST')
      .map(({ status, replayed, idempotencyKey }) => ({ status, replayed, idempotencyKey }));

  test('a backend slower than the upstream timeout: 504 "may have taken effect" with the key, the retry replayed, one customer', async () => {
    let delayedFirst = false;
    const recorder = recordingFetch({
      async beforeAnswer(attempt, signal) {
        if (attempt.method !== 'POST' || delayedFirst) return;
        delayedFirst = true;
        await delay(ANSWER_LATENCY_MS, undefined, signal ? { signal } : {});
      },
    });
    const portico = porticoWith(partner, 'apiKey', { baseUrl: running.gatewayUrl, fetch: recorder.fetch });
    const name = uniqueName('Slow Backend Clinic');
    const body = { kind: 'organization' as const, name };
    const from = crm.exchanges.length;
    const held = crm.holdNextAnswer(isCreateCustomer, SLOWER_THAN_GATEWAY_MS);

    const result = await portico.crm.createCustomer({ body });

    expect(result.data).toBeUndefined();
    const error = result.error as ProblemError;
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 504, code: 'gateway_timeout', attempts: 2 });
    expect(error.problem?.detail).toMatch(/may have taken effect/);
    expect(error.idempotencyKey).toMatch(/^\S{16,}$/);
    // Two attempts with the call's key: the gateway's own 504, then that 504 replayed — which the SDK never retries.
    const key = error.idempotencyKey;
    expect(posts(recorder.attempts)).toEqual([
      { status: 504, replayed: false, idempotencyKey: key },
      { status: 504, replayed: true, idempotencyKey: key },
    ]);
    expect(result.response?.headers.get('idempotent-replayed')).toBe('true');

    // The backend had the request once and created the customer; its 201 came after the gateway had given up.
    expect(await held.released).toEqual({ status: 201, relayed: false });
    expect(creationsAtBackend(from)).toHaveLength(1);
    const listed = await customersNamed(portico, name);
    expect(listed).toEqual([{ id: expect.stringMatching(/^cus_/), name }]);

    // The key the error carries still answers with the kept 504: checking first, then a new key, is the way on.
    const again = await portico.crm.createCustomer({ body, idempotencyKey: error.idempotencyKey! });
    expect(again.error).toBeInstanceOf(ProblemError);
    expect(again.error).toMatchObject({
      status: 504,
      code: 'gateway_timeout',
      attempts: 1,
      idempotencyKey: key,
    });
    expect(again.response?.headers.get('idempotent-replayed')).toBe('true');
    expect(creationsAtBackend(from)).toHaveLength(1);
    expect(await customersNamed(portico, name)).toEqual(listed);
  });

  test('a caller who leaves mid-request: TimeoutError with the key; the gateway kept the 201, and the key replays it', async () => {
    const recorder = recordingFetch();
    const portico = porticoWith(partner, 'apiKey', { baseUrl: running.gatewayUrl, fetch: recorder.fetch });
    const name = uniqueName('Impatient Caller Clinic');
    const body = { kind: 'organization' as const, name };
    const from = crm.exchanges.length;
    const held = crm.holdNextAnswer(isCreateCustomer, SLOWER_THAN_CALLER_MS);

    const left = await portico.crm.createCustomer({ body, timeoutMs: CALLER_TIMEOUT_MS });

    expect(left.error).toBeInstanceOf(TimeoutError);
    expect(left.error).toMatchObject({ kind: 'timeout', timeoutMs: CALLER_TIMEOUT_MS, attempts: 1 });
    const key = left.error!.idempotencyKey;
    expect(key).toMatch(/^\S{16,}$/);
    expect(posts(recorder.attempts)).toEqual([{ status: undefined, replayed: false, idempotencyKey: key }]);

    // The caller was gone; the gateway was still there to read the backend's answer.
    expect(await held.released).toEqual({ status: 201, relayed: true });
    const listed = await customersNamed(portico, name);
    expect(listed).toEqual([{ id: expect.stringMatching(/^cus_/), name }]);

    // Calling again with the key gets the answer the caller left before: the same customer, not a second one.
    const again = await portico.crm.createCustomer({ body, idempotencyKey: key! });
    expect(again.error).toBeUndefined();
    expect(again.response?.status).toBe(201);
    expect(again.response?.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data?.id).toBe(listed[0]!.id);
    expect(creationsAtBackend(from)).toHaveLength(1);
    expect(await customersNamed(portico, name)).toEqual(listed);
  });
});
