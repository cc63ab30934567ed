// The per-process nonce store: a pair is accepted once while remembered, forgotten after its TTL, bounded, and
// refusing rather than forgetting a live nonce when full. Time is moved, never waited for.
import { manualClock } from '../../../../internal/src/clock';
import { memoryNonceStore, NonceStoreFullError } from './nonce-store';

function store(maxEntries?: number) {
  const clock = manualClock('2026-01-01T00:00:00.000Z');
  return { clock, nonces: memoryNonceStore({ clock, ...(maxEntries ? { maxEntries } : {}) }) };
}

describe('memoryNonceStore', () => {
  test('a (keyid, nonce) pair is new once, then a replay until its TTL has passed', async () => {
    const { clock, nonces } = store();
    expect(await nonces.remember('sig_a', 'nonce-1', 10_000)).toBe(true);
    expect(await nonces.remember('sig_a', 'nonce-1', 10_000)).toBe(false);
    expect(await nonces.remember('sig_b', 'nonce-1', 10_000)).toBe(true);
    clock.advance(9_999);
    expect(await nonces.remember('sig_a', 'nonce-1', 10_000)).toBe(false);
    clock.advance(1);
    expect(await nonces.remember('sig_a', 'nonce-1', 10_000)).toBe(true);
  });

  test('keyid and nonce cannot run into each other', async () => {
    const { nonces } = store();
    expect(await nonces.remember('a:b', 'c', 1_000)).toBe(true);
    expect(await nonces.remember('a', 'b:c', 1_000)).toBe(true);
  });

  test('expired nonces are swept as time passes, after a long idle period too', async () => {
    const { clock, nonces } = store();
    // Half expire after 1 s, half after 2 s; expiry is filed by the second.
    for (let i = 0; i < 100; i++) await nonces.remember('sig_a', `nonce-${i}`, 1_000 * (1 + (i % 2)));
    expect(nonces.size()).toBe(100);
    clock.advance(1_000);
    await nonces.remember('sig_a', 'later', 600_000);
    expect(nonces.size()).toBe(51);
    clock.advance(86_400_000);
    await nonces.remember('sig_a', 'much-later', 1_000);
    expect(nonces.size()).toBe(1);
  });

  test('a nonce remembered again after expiring is not dropped by its old expiry', async () => {
    const { clock, nonces } = store();
    await nonces.remember('sig_a', 'n', 1_000);
    clock.advance(1_000);
    expect(await nonces.remember('sig_a', 'n', 5_000)).toBe(true);
    clock.advance(1_000);
    expect(await nonces.remember('sig_a', 'n', 5_000)).toBe(false);
  });

  test('when full of live nonces it refuses new ones instead of forgetting any', async () => {
    const { clock, nonces } = store(3);
    for (const n of ['n1', 'n2', 'n3']) await nonces.remember('sig_a', n, 2_000);
    await expect(nonces.remember('sig_a', 'n4', 2_000)).rejects.toBeInstanceOf(NonceStoreFullError);
    expect(await nonces.remember('sig_a', 'n1', 2_000)).toBe(false);
    clock.advance(2_000);
    expect(await nonces.remember('sig_a', 'n4', 2_000)).toBe(true);
  });
});
