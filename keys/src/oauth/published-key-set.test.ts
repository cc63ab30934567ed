// The verifier's copy of the published keys: loaded once and then served from memory, reloaded when stale, when
// told of a rotation, and for an unknown kid at most once per interval; a failing store does not take the known
// keys away; a retiring key stops being used at the end of its publication even without a reload.
import { randomBytes } from 'node:crypto';
import { manualClock } from '../../../internal/src/clock';
import { createSecretBoxRing } from '../domain/secret-box';
import { memoryInvalidationBus } from '../events/invalidation';
import type { PublishedIssuerKey } from '../store/issuer-keys';
import { generateIssuerKey } from './issuer-key-material';
import { ISSUER_KEYS_INVALIDATION, PublishedKeySet } from './published-key-set';

const ring = createSecretBoxRing([{ id: 'k1', secret: randomBytes(32) }]);
const settings = { unknownKidRefreshSeconds: 10, keySetMaxAgeSeconds: 300 };

function published(publishUntil: string | null = null): PublishedIssuerKey {
  const material = generateIssuerKey(ring, 'ES256');
  return {
    kid: material.kid,
    algorithm: 'ES256',
    status: publishUntil ? 'retiring' : 'current',
    publicJwk: material.publicJwk,
    publishUntil,
  };
}

function setUp(initial: PublishedIssuerKey[]) {
  const clock = manualClock('2026-11-24T09:30:00.000Z');
  const state = { keys: initial, fail: false, errors: 0 };
  const set = new PublishedKeySet({
    load: async () => {
      if (state.fail) throw new Error('store down');
      return state.keys;
    },
    clock,
    settings,
    onLoadError: () => {
      state.errors += 1;
    },
  });
  return { clock, state, set };
}

describe('PublishedKeySet', () => {
  test('serves known kids from memory until the set is older than its maximum age', async () => {
    const key = published();
    const { clock, set } = setUp([key]);
    for (let i = 0; i < 5; i++) expect((await set.keyFor(key.kid))?.kid).toBe(key.kid);
    expect(set.loads).toBe(1);
    clock.advance(300_000);
    await set.keyFor(key.kid);
    expect(set.loads).toBe(2);
  });

  test('a rotation announced on the bus makes the next lookup reload', async () => {
    const first = published();
    const { state, set } = setUp([first]);
    const bus = memoryInvalidationBus();
    set.attach(bus);
    await set.keyFor(first.kid);
    const second = published();
    state.keys = [second, { ...first, status: 'retiring', publishUntil: '2026-11-24T10:30:30.000Z' }];
    await bus.publish(ISSUER_KEYS_INVALIDATION);
    expect((await set.keyFor(second.kid))?.kid).toBe(second.kid);
    expect(set.loads).toBe(2);
  });

  test('a retiring key is not used past its publication, even before the next reload', async () => {
    const retiring = published('2026-11-24T09:31:00.000Z');
    const { clock, set } = setUp([retiring]);
    expect(await set.keyFor(retiring.kid)).toBeDefined();
    clock.advance(60_000);
    expect(await set.keyFor(retiring.kid)).toBeUndefined();
    expect((await set.jwks()).keys).toEqual([]);
  });

  test('when the store fails, the known keys keep working and the reload is retried after the interval', async () => {
    const key = published();
    const { clock, state, set } = setUp([key]);
    await set.keyFor(key.kid);
    state.fail = true;
    clock.advance(300_000);
    expect((await set.keyFor(key.kid))?.kid).toBe(key.kid);
    expect(state.errors).toBe(1);
    await set.keyFor(key.kid);
    expect(state.errors).toBe(1);
    clock.advance(10_000);
    await set.keyFor(key.kid);
    expect(state.errors).toBe(2);
  });

  test('with no key known yet, a failing store is an error, not an empty set', async () => {
    const { state, set } = setUp([]);
    state.fail = true;
    await expect(set.keyFor('any')).rejects.toThrow('store down');
  });
});
