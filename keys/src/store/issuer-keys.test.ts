// The issuer's signing keys in the store: one current key even under racing start-ups and rotations, a rotated-out
// key published until its tokens have expired, then retired with its private half erased, and re-sealing after the
// encryption key rotates.
import { randomBytes } from 'node:crypto';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createSecretBoxRing } from '../domain/secret-box';
import {
  ensureIssuerKey,
  resealIssuerKeys,
  rotateIssuerKey,
  signingKeySource,
} from '../oauth/issuer-key-lifecycle';
import { generateIssuerKey, openIssuerPrivateKey } from '../oauth/issuer-key-material';
import {
  findCurrentIssuerKey,
  listPublishedIssuerKeys,
  retireExpiredIssuerKeys,
  rotateIssuerKeyRows,
} from './issuer-keys';
import { openKeysStore, type TestDeps } from './test-fixtures';

const K1 = { id: 'k1', secret: randomBytes(32) };
const K2 = { id: 'k2', secret: randomBytes(32) };
const ring = createSecretBoxRing([K1]);
const settings = { algorithm: 'ES256', maxTokenLifetimeSeconds: 3600, clockLeewaySeconds: 30 } as const;

describeEachStore('issuer keys', (store) => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await openKeysStore(store, 'issuer_keys');
  });

  const now = () => deps.clock.now().toISOString();

  test('the first key is made once, even when several processes start at the same time', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => ensureIssuerKey(deps, ring, settings)));
    const kids = new Set(results.map((r) => r.kid));
    expect(kids.size).toBe(1);
    expect(results.filter((r) => r.created).length).toBeLessThanOrEqual(1);
    expect(await listPublishedIssuerKeys(deps, now())).toHaveLength(1);
    expect(await ensureIssuerKey(deps, ring, settings)).toEqual({ kid: [...kids][0], created: false });
  });

  test('a rotated-out key stays published for the longest token lifetime plus leeway, then drops out', async () => {
    const first = await ensureIssuerKey(deps, ring, settings);
    const rotation = await rotateIssuerKey(deps, ring, settings);
    expect(rotation).toMatchObject({
      previousKid: first.kid,
      previousPublishUntil: '2026-11-24T10:30:30.000Z',
      invalidation: { type: 'credential', credentialId: 'issuer_keys' },
    });
    expect((await findCurrentIssuerKey(deps))?.kid).toBe(rotation.currentKid);
    const published = await listPublishedIssuerKeys(deps, now());
    expect(published.map((k) => [k.kid, k.status, k.publishUntil])).toEqual([
      [rotation.currentKid, 'current', null],
      [first.kid, 'retiring', '2026-11-24T10:30:30.000Z'],
    ]);
    deps.clock.advance(3629_000);
    expect((await listPublishedIssuerKeys(deps, now())).map((k) => k.kid)).toContain(first.kid);
    deps.clock.advance(1_000);
    // Gone from what verifiers load even before the retirement job runs.
    expect((await listPublishedIssuerKeys(deps, now())).map((k) => k.kid)).toEqual([rotation.currentKid]);
    expect(await retireExpiredIssuerKeys(deps)).toEqual([first.kid]);
    const row = await deps.db
      .selectFrom('issuer_keys')
      .selectAll()
      .where('kid', '=', first.kid)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'retired', private_key_ciphertext: '', retired_at: now() });
    expect(await retireExpiredIssuerKeys(deps)).toEqual([]);
  });

  test('an emergency rotation retires the previous key at once', async () => {
    const first = await ensureIssuerKey(deps, ring, settings);
    const rotation = await rotateIssuerKey(deps, ring, settings, { emergency: true });
    expect(rotation.previousPublishUntil).toBe(now());
    expect((await listPublishedIssuerKeys(deps, now())).map((k) => k.kid)).toEqual([rotation.currentKid]);
    const row = await deps.db
      .selectFrom('issuer_keys')
      .selectAll()
      .where('kid', '=', first.kid)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'retired', private_key_ciphertext: '' });
  });

  test('RS256 keys rotate like ES256 ones', async () => {
    await ensureIssuerKey(deps, ring, settings);
    const rotation = await rotateIssuerKey(deps, ring, settings, { algorithm: 'RS256' });
    const [current] = await listPublishedIssuerKeys(deps, now());
    expect(current).toMatchObject({
      kid: rotation.currentKid,
      algorithm: 'RS256',
      publicJwk: { kty: 'RSA' },
    });
  });

  test('two rotations at once leave exactly one current key (the loser is a 409)', async () => {
    await ensureIssuerKey(deps, ring, settings);
    const results = await Promise.allSettled([
      rotateIssuerKey(deps, ring, settings),
      rotateIssuerKey(deps, ring, settings),
    ]);
    const current = await deps.db
      .selectFrom('issuer_keys')
      .select('kid')
      .where('status', '=', 'current')
      .execute();
    expect(current).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ status: 409 });
    }
  });

  test('the unique index refuses a second current key even when written directly', async () => {
    await ensureIssuerKey(deps, ring, settings);
    const material = generateIssuerKey(ring, 'ES256');
    await expect(
      deps.db
        .insertInto('issuer_keys')
        .values({
          kid: material.kid,
          algorithm: 'ES256',
          status: 'current',
          public_jwk: '{}',
          private_key_ciphertext: material.privateKeyCiphertext,
          encryption_key_id: 'k1',
          created_at: now(),
          retired_at: null,
          publish_until: null,
        })
        .execute(),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(23505|SQLITE_CONSTRAINT_UNIQUE)$/) });
    await expect(rotateIssuerKeyRows(deps, material, now())).resolves.toMatchObject({
      currentKid: material.kid,
    });
  });

  test('the signer follows a rotation made elsewhere with its very next token', async () => {
    const signer = signingKeySource(deps, ring, settings);
    const first = await signer();
    expect((await findCurrentIssuerKey(deps))?.kid).toBe(first.kid);
    const rotation = await rotateIssuerKey(deps, ring, settings);
    expect((await signer()).kid).toBe(rotation.currentKid);
  });

  test('after the encryption key rotates, private halves are re-sealed under the new one and still open', async () => {
    await ensureIssuerKey(deps, ring, settings);
    await rotateIssuerKey(deps, ring, settings);
    const rotated = createSecretBoxRing([K2, K1]);
    expect(await resealIssuerKeys(deps, rotated)).toBe(2);
    expect(await resealIssuerKeys(deps, rotated)).toBe(0);
    const rows = await deps.db.selectFrom('issuer_keys').selectAll().execute();
    for (const row of rows) {
      expect(row.encryption_key_id).toBe('k2');
      expect(row.private_key_ciphertext).toMatch(/^v1:k2:/);
      expect(() =>
        openIssuerPrivateKey(createSecretBoxRing([K2]), row.kid, row.private_key_ciphertext),
      ).not.toThrow();
    }
  });
});
