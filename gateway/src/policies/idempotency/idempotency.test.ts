// The policy over the per-process store: the shared contract, then what only an injected clock can show (expiry
// after 24 h, an in-flight marker that outlives a crashed request), a full store that refuses (503) rather than
// forget, and the option checks.
import { manualClock, type ManualClock } from '../../../../internal/src/clock';
import { createIdempotency } from './idempotency';
import { memoryIdempotencyStore, type MemoryIdempotencyStore } from './idempotency-store';
import {
  IN_FLIGHT_TTL_SECONDS,
  idempotencyStoreContract,
  policyOver,
  proceeding,
  refusal,
  upstreamAnswer,
} from './testing/store-contract';

const HOUR_MS = 3_600_000;

describe('idempotency over the memory store', () => {
  const clock = manualClock();
  const store = memoryIdempotencyStore({ clock });
  idempotencyStoreContract(() => ({ store: () => store, clock }));
});

describe('idempotency expiry (memory store, injected clock)', () => {
  let clock: ManualClock;
  let store: MemoryIdempotencyStore;
  const request = { appId: 'app_one', key: 'order-2026-0001', fingerprint: 'fp-1' };
  beforeEach(() => {
    clock = manualClock();
    store = memoryIdempotencyStore({ clock });
  });

  test('a completed response is replayed for 24 h, then the key is free again', async () => {
    const policy = policyOver(store, clock);
    await proceeding(await policy.begin(request)).complete(upstreamAnswer('first'));
    clock.advance(24 * HOUR_MS - 1);
    expect((await policy.begin(request)).kind).toBe('replay');
    clock.advance(1);
    expect((await policy.begin(request)).kind).toBe('proceed');
    // Another payload is a new request once the old record is gone, not a 422.
    clock.advance(24 * HOUR_MS);
    expect((await policy.begin({ ...request, fingerprint: 'fp-2' })).kind).toBe('proceed');
  });

  test('ttlSeconds is an option', async () => {
    const policy = createIdempotency({ store, clock, ttlSeconds: 600, inFlightTtlSeconds: 60 });
    await proceeding(await policy.begin(request)).complete(upstreamAnswer('first'));
    clock.advance(600_000 - 1);
    expect((await policy.begin(request)).kind).toBe('replay');
    clock.advance(1);
    expect((await policy.begin(request)).kind).toBe('proceed');
  });

  test('a crashed request blocks its key only for inFlightTtlSeconds, and cannot complete afterwards', async () => {
    const policy = policyOver(store, clock);
    const crashed = proceeding(await policy.begin(request));
    clock.advance(IN_FLIGHT_TTL_SECONDS * 1000 - 1);
    expect((await refusal(policy.begin(request))).code).toBe('conflict');
    clock.advance(1);
    const retry = proceeding(await policy.begin(request));
    expect(await crashed.complete(upstreamAnswer('too late'))).toEqual({ kind: 'claim_lost' });
    await retry.complete(upstreamAnswer('retry'));
    const replayed = await policy.begin(request);
    expect(replayed.kind === 'replay' && replayed.response.body.toString()).toBe('retry');
  });

  test('a full store refuses new keys with 503 instead of forgetting a stored answer; expiry frees room', async () => {
    const small = memoryIdempotencyStore({ clock, maxEntries: 2 });
    const policy = policyOver(small, clock);
    await proceeding(await policy.begin({ ...request, key: 'order-key-1' })).complete(upstreamAnswer('1'));
    clock.advance(HOUR_MS);
    await proceeding(await policy.begin({ ...request, key: 'order-key-2' })).complete(upstreamAnswer('2'));

    const full = await refusal(policy.begin({ ...request, key: 'order-key-3' }));
    expect([full.status, full.code, full.options.headers]).toEqual([
      503,
      'service_unavailable',
      { 'Retry-After': '1' },
    ]);
    expect((await policy.begin({ ...request, key: 'order-key-1' })).kind).toBe('replay');

    clock.advance(23 * HOUR_MS);
    expect((await policy.begin({ ...request, key: 'order-key-3' })).kind).toBe('proceed');
    expect(small.size()).toBe(2);
  });
});

describe('createIdempotency options', () => {
  const clock = manualClock();
  const store = memoryIdempotencyStore({ clock });

  test.each([
    [{ inFlightTtlSeconds: 0 }],
    [{ inFlightTtlSeconds: 90, ttlSeconds: 60 }],
    [{ inFlightTtlSeconds: 90, ttlSeconds: 0 }],
  ])('refuses %j', (options) => {
    expect(() => createIdempotency({ store, clock, ...options })).toThrow('idempotency:');
  });

  test('defaults: 1 MiB stored bodies', () => {
    expect(createIdempotency({ store, clock, inFlightTtlSeconds: 90 }).maxStoredBodyBytes).toBe(1024 * 1024);
  });
});
