// The verification cache: bounded staleness, bounded size, and invalidation by id, by digest or of everything.
import { manualClock } from '../../../internal/src/clock';
import { memoryInvalidationBus } from '../events/invalidation';
import { VerificationCache } from './verification-cache';

function cache(overrides: Partial<ConstructorParameters<typeof VerificationCache>[0]> = {}) {
  const clock = manualClock();
  const c = new VerificationCache<string>({
    clock,
    ttlMs: 30_000,
    negativeTtlMs: 2_000,
    maxEntries: 3,
    ...overrides,
  });
  return { c, clock };
}

describe('VerificationCache', () => {
  test('a found credential is served until its TTL, then asked for again', () => {
    const { c, clock } = cache();
    c.set('d1', 'valid', 'key_1');
    clock.advance(29_999);
    expect(c.get('d1')).toBe('valid');
    clock.advance(1);
    expect(c.get('d1')).toBeUndefined();
  });

  test('"not found" is remembered only for the short negative TTL', () => {
    const { c, clock } = cache();
    c.set('d2', 'not_found', undefined);
    clock.advance(1_999);
    expect(c.get('d2')).toBe('not_found');
    clock.advance(1);
    expect(c.get('d2')).toBeUndefined();
  });

  test('past the size limit the least recently used entry goes first', () => {
    const { c } = cache();
    c.set('a', 'A', 'key_a');
    c.set('b', 'B', 'key_b');
    c.set('c', 'C', 'key_c');
    expect(c.get('a')).toBe('A');
    c.set('d', 'D', 'key_d');
    expect(c.get('b')).toBeUndefined();
    expect([c.get('a'), c.get('c'), c.get('d')]).toEqual(['A', 'C', 'D']);
    expect(c.size).toBe(3);
  });

  test('an invalidation by credential id drops its entry at once, even before the TTL', async () => {
    const { c } = cache();
    const bus = memoryInvalidationBus();
    c.attach(bus);
    c.set('d1', 'valid', 'key_1');
    c.set('d2', 'valid', 'key_2');
    await bus.publish({ type: 'credential', credentialId: 'key_1' });
    expect(c.get('d1')).toBeUndefined();
    expect(c.get('d2')).toBe('valid');
  });

  test('an invalidation by digest drops a negative entry (a key just created elsewhere)', async () => {
    const { c } = cache();
    const bus = memoryInvalidationBus();
    c.attach(bus);
    c.set('d3', 'not_found', undefined);
    await bus.publish({ type: 'credential', credentialId: 'key_new', digest: 'd3' });
    expect(c.get('d3')).toBeUndefined();
  });

  test('"all" empties the cache, and a closed cache stops listening', async () => {
    const { c } = cache();
    const bus = memoryInvalidationBus();
    c.attach(bus);
    c.set('d1', 'valid', 'key_1');
    await bus.publish({ type: 'all' });
    expect(c.size).toBe(0);
    c.set('d1', 'valid', 'key_1');
    c.close();
    await bus.publish({ type: 'all' });
    expect(c.get('d1')).toBe('valid');
  });

  test('re-setting a digest under another credential id keeps the id index consistent', async () => {
    const { c } = cache();
    const bus = memoryInvalidationBus();
    c.attach(bus);
    c.set('d1', 'old', 'key_old');
    c.set('d1', 'new', 'key_new');
    await bus.publish({ type: 'credential', credentialId: 'key_old' });
    expect(c.get('d1')).toBe('new');
    await bus.publish({ type: 'credential', credentialId: 'key_new' });
    expect(c.get('d1')).toBeUndefined();
  });
});
