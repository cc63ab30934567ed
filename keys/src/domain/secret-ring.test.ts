import { createSecretRing } from './secret-ring';
import type { RingRules } from './secret-ring';

const rules: RingRules = { name: 'key pepper', minBytes: 32 };
const bytes = (fill: number, length = 32) => Buffer.alloc(length, fill);

describe('createSecretRing', () => {
  test('makes the first secret the current one and keeps every secret by id', () => {
    const ring = createSecretRing(
      [
        { id: 'b', secret: bytes(2) },
        { id: 'a', secret: bytes(1) },
      ],
      rules,
    );
    expect(ring.current.id).toBe('b');
    expect([...ring.byId.keys()]).toEqual(['b', 'a']);
    expect(ring.byId.get('a')?.secret.equals(bytes(1))).toBe(true);
  });

  test('copies the secrets, so that changing the caller’s buffer changes nothing', () => {
    const secret = bytes(7);
    const ring = createSecretRing([{ id: 'k1', secret }], rules);
    secret.fill(0);
    expect(ring.current.secret.equals(bytes(7))).toBe(true);
  });

  test.each([
    ['an empty ring', [], /at least one/],
    ['a short secret', [{ id: 'k1', secret: bytes(1, 31) }], /k1: must be at least 32 bytes, is 31/],
    [
      'a repeated id',
      [
        { id: 'k1', secret: bytes(1) },
        { id: 'k1', secret: bytes(2) },
      ],
      /k1 appears twice/,
    ],
    ['an id with a colon', [{ id: 'k:1', secret: bytes(1) }], /must be 1-32 letters/],
    ['an empty id', [{ id: '', secret: bytes(1) }], /must be 1-32 letters/],
    ['an id of 33 characters', [{ id: 'a'.repeat(33), secret: bytes(1) }], /must be 1-32 letters/],
  ])('refuses %s with a readable message', (_case, secrets, message) => {
    expect(() => createSecretRing(secrets, rules)).toThrow(message);
  });

  test('enforces an exact length when the algorithm needs one', () => {
    expect(() =>
      createSecretRing([{ id: 'k1', secret: bytes(1, 33) }], { ...rules, exactBytes: 32 }),
    ).toThrow(/exactly 32 bytes, is 33/);
  });
});
