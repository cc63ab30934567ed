// The behaviour every IdempotencyStore must give the policy, as one suite run against each store (memory, Redis):
// proceed then replay, 409 in flight, 422 for another payload, per-app keys, release, and nothing stored that the
// upstream did not answer in full.
import { randomUUID } from 'node:crypto';
import type { ManualClock } from '../../../../../internal/src/clock';
import { ProblemError } from '../../../../../internal/src/problem/problem';
import { createIdempotency, type BeginOutcome, type Idempotency } from '../idempotency';
import type { IdempotencyStore, InFlightRecord } from '../idempotency-store';
import type { StoredResponse } from '../stored-response';

export interface ContractHarness {
  /** A store over the backend under test; each call may be a new instance (another process) sharing its state. */
  store(): IdempotencyStore;
  clock: ManualClock;
}

export const IN_FLIGHT_TTL_SECONDS = 90;
export const MAX_STORED_BODY_BYTES = 64;

export function policyOver(store: IdempotencyStore, clock: ManualClock): Idempotency {
  return createIdempotency({
    store,
    clock,
    inFlightTtlSeconds: IN_FLIGHT_TTL_SECONDS,
    maxStoredBodyBytes: MAX_STORED_BODY_BYTES,
  });
}

export function upstreamAnswer(body: string | Buffer, status = 201): StoredResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'] },
    body: Buffer.from(body),
  };
}

export function proceeding(outcome: BeginOutcome): Extract<BeginOutcome, { kind: 'proceed' }> {
  if (outcome.kind !== 'proceed') throw new Error(`expected proceed, got ${outcome.kind}`);
  return outcome;
}

export async function refusal(promise: Promise<unknown>): Promise<ProblemError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('expected a ProblemError');
}

export function idempotencyStoreContract(harness: () => ContractHarness): void {
  let policy: Idempotency;
  let request: { appId: string; key: string; fingerprint: string };
  beforeEach(() => {
    const { store, clock } = harness();
    policy = policyOver(store(), clock);
    // A fresh key per test: the suites share a store (and Redis a prefix) across tests.
    request = { appId: 'app_one', key: `key-${randomUUID()}`, fingerprint: 'fp-1' };
  });

  test('the first request proceeds; once completed, the same request is replayed byte for byte', async () => {
    const first = proceeding(await policy.begin(request));
    const answer = upstreamAnswer('{"id":"ord_1","total":"12.50"}');
    expect(await first.complete(answer)).toEqual({ kind: 'stored' });

    const again = await policy.begin(request);
    if (again.kind !== 'replay') throw new Error(`expected replay, got ${again.kind}`);
    expect(again.response.status).toBe(201);
    expect(again.response.body.equals(answer.body)).toBe(true);
    expect(again.response.headers).toEqual(answer.headers);
  });

  test('a retry while the first is in flight is refused with 409 conflict', async () => {
    proceeding(await policy.begin(request));
    const problem = await refusal(policy.begin(request));
    expect([problem.status, problem.code]).toEqual([409, 'conflict']);
  });

  test('the same key with another payload is refused with 422, in flight or completed', async () => {
    const first = proceeding(await policy.begin(request));
    const other = { ...request, fingerprint: 'fp-2' };
    const whileInFlight = await refusal(policy.begin(other));
    expect([whileInFlight.status, whileInFlight.code]).toEqual([422, 'unprocessable']);

    await first.complete(upstreamAnswer('{}'));
    const afterwards = await refusal(policy.begin(other));
    expect([afterwards.status, afterwards.code]).toEqual([422, 'unprocessable']);
  });

  test('two apps may use the same key independently', async () => {
    const mine = proceeding(await policy.begin(request));
    const theirs = proceeding(await policy.begin({ ...request, appId: 'app_two', fingerprint: 'fp-other' }));
    await mine.complete(upstreamAnswer('mine'));
    await theirs.complete(upstreamAnswer('theirs'));
    const replayed = await policy.begin({ ...request, appId: 'app_two', fingerprint: 'fp-other' });
    expect(replayed.kind === 'replay' && replayed.response.body.toString()).toBe('theirs');
  });

  test('a released key may be used again', async () => {
    const first = proceeding(await policy.begin(request));
    expect(await first.release()).toEqual({ kind: 'released', reason: 'requested' });
    const second = proceeding(await policy.begin(request));
    await second.complete(upstreamAnswer('second'));
    const replayed = await policy.begin(request);
    expect(replayed.kind === 'replay' && replayed.response.body.toString()).toBe('second');
  });

  test('a response not captured in full (cut) is not stored, and the key is released', async () => {
    const first = proceeding(await policy.begin(request));
    expect(await first.complete(undefined)).toEqual({ kind: 'released', reason: 'not_captured' });
    expect((await policy.begin(request)).kind).toBe('proceed');
  });

  test('a body over maxStoredBodyBytes is not stored and the key is released; one at the limit is stored', async () => {
    const first = proceeding(await policy.begin(request));
    const tooLarge = upstreamAnswer(Buffer.alloc(MAX_STORED_BODY_BYTES + 1, 'x'));
    expect(await first.complete(tooLarge)).toEqual({ kind: 'released', reason: 'too_large' });

    const second = proceeding(await policy.begin(request));
    expect(await second.complete(upstreamAnswer(Buffer.alloc(MAX_STORED_BODY_BYTES, 'y')))).toEqual({
      kind: 'stored',
    });
    expect((await policy.begin(request)).kind).toBe('replay');
  });

  test('of concurrent identical requests exactly one proceeds and the others get 409', async () => {
    const settled = await Promise.allSettled(Array.from({ length: 8 }, () => policy.begin(request)));
    const proceeded = settled.filter((s) => s.status === 'fulfilled' && s.value.kind === 'proceed');
    const conflicts = settled.filter(
      (s) => s.status === 'rejected' && (s.reason as ProblemError).code === 'conflict',
    );
    expect([proceeded.length, conflicts.length]).toEqual([1, 7]);
  });

  test('complete and release settle once: the first outcome stands', async () => {
    const first = proceeding(await policy.begin(request));
    const stored = await first.complete(upstreamAnswer('once'));
    expect(await first.release()).toBe(stored);
    expect(await first.complete(upstreamAnswer('twice'))).toBe(stored);
    const replayed = await policy.begin(request);
    expect(replayed.kind === 'replay' && replayed.response.body.toString()).toBe('once');
  });

  test("a claim that was lost cannot complete or release the new owner's record", async () => {
    const { store } = harness();
    const shared = store();
    const scope = { appId: 'app_one', key: request.key };
    const marker = (token: string): InFlightRecord => ({
      state: 'in_flight',
      fingerprint: 'fp-1',
      token,
      startedAtMs: 0,
    });
    expect(await shared.claim(scope, marker('old'), 60_000)).toEqual({ claimed: true });
    // What expiry does to a marker, done by its owner so that the suite needs no clock of the store's own.
    await shared.release(scope, marker('old'));
    expect(await shared.claim(scope, marker('new'), 60_000)).toEqual({ claimed: true });

    const late = {
      state: 'completed' as const,
      fingerprint: 'fp-1',
      response: upstreamAnswer('late'),
      completedAtMs: 0,
    };
    expect(await shared.complete(scope, marker('old'), late, 60_000)).toBe(false);
    await shared.release(scope, marker('old'));
    expect(await shared.claim(scope, marker('third'), 60_000)).toEqual({
      claimed: false,
      existing: marker('new'),
    });
  });
}
