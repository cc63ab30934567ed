import { decideKeyOutcome } from './key-verdict';
import type { KeyRecord } from './key-verdict';

const now = new Date('2026-11-24T10:00:00.000Z');

function record(
  change: Partial<Omit<KeyRecord, 'app' | 'partner' | 'plan'>> & {
    app?: Partial<KeyRecord['app']>;
    partner?: Partial<KeyRecord['partner']>;
    plan?: Partial<KeyRecord['plan']>;
  } = {},
): KeyRecord {
  const { app, partner, plan, ...key } = change;
  return {
    keyId: 'key_1',
    partnerId: 'prt_1',
    appId: 'app_1',
    environment: 'live',
    keyScopes: ['crm:read', 'crm:write', 'orders:read'],
    expiresAt: null,
    revokedAt: null,
    ...key,
    app: { status: 'active', deleted: false, scopes: ['crm:read', 'crm:write', 'orders:read'], ...app },
    partner: { status: 'active', ...partner },
    plan: { id: 'pln_1', scopes: ['crm:read', 'crm:write', 'orders:read', 'orders:write'], ...plan },
  };
}

describe('decideKeyOutcome', () => {
  test('a live key of an active app and partner is valid, with who is calling', () => {
    expect(decideKeyOutcome(record(), now)).toEqual({
      outcome: 'valid',
      key: {
        keyId: 'key_1',
        appId: 'app_1',
        partnerId: 'prt_1',
        environment: 'live',
        scopes: ['crm:read', 'crm:write', 'orders:read'],
        planId: 'pln_1',
        expiresAt: null,
      },
    });
  });

  test.each([
    ['no record', undefined, 'not_found'],
    ['a key of a deleted app', record({ app: { deleted: true } }), 'not_found'],
    ['a revoked key', record({ revokedAt: '2026-11-24T09:00:00.000Z' }), 'revoked'],
    ['a key past its expiry', record({ expiresAt: '2026-11-24T09:59:59.999Z' }), 'expired'],
    ['a key expiring this very millisecond', record({ expiresAt: now.toISOString() }), 'expired'],
    [
      'a key of a live app awaiting approval',
      record({ app: { status: 'pending_approval' } }),
      'app_not_active',
    ],
    ['a key of a rejected app', record({ app: { status: 'rejected' } }), 'app_not_active'],
    ['a key of an app in a status unknown today', record({ app: { status: 'archived' } }), 'app_not_active'],
    ['a key of a suspended partner', record({ partner: { status: 'suspended' } }), 'partner_suspended'],
  ])('%s → %s', (_case, input, outcome) => {
    expect(decideKeyOutcome(input, now)).toEqual({ outcome });
  });

  test('a key expiring a millisecond from now is still valid, and says when it expires', () => {
    const expiresAt = '2026-11-24T10:00:00.001Z';
    const verdict = decideKeyOutcome(record({ expiresAt }), now);
    expect(verdict.outcome).toBe('valid');
    if (verdict.outcome === 'valid') expect(verdict.key.expiresAt).toBe(expiresAt);
  });

  test('reports the key’s own state before its app’s and its partner’s', () => {
    const everything = record({
      revokedAt: '2026-11-01T00:00:00.000Z',
      expiresAt: '2026-11-02T00:00:00.000Z',
      app: { status: 'rejected' },
      partner: { status: 'suspended' },
    });
    expect(decideKeyOutcome(everything, now)).toEqual({ outcome: 'revoked' });
    expect(
      decideKeyOutcome(record({ app: { status: 'rejected' }, partner: { status: 'suspended' } }), now),
    ).toEqual({
      outcome: 'app_not_active',
    });
  });

  test('narrows the key’s scopes to its app’s and its plan’s (effective scopes)', () => {
    const narrowed = record({
      app: { scopes: ['crm:read', 'orders:read'] },
      plan: { scopes: ['crm:read', 'crm:write'] },
    });
    const verdict = decideKeyOutcome(narrowed, now);
    expect(verdict.outcome === 'valid' && verdict.key.scopes).toEqual(['crm:read']);
  });

  test('drops a stored scope that no public API offers', () => {
    const stale = record({
      keyScopes: ['crm:read', 'billing:read'],
      app: { scopes: ['crm:read', 'billing:read'] },
      plan: { scopes: ['crm:read', 'billing:read'] },
    });
    const verdict = decideKeyOutcome(stale, now);
    expect(verdict.outcome === 'valid' && verdict.key.scopes).toEqual(['crm:read']);
  });

  test('a key whose effective scopes are empty is still authenticated (every route then answers 403)', () => {
    const verdict = decideKeyOutcome(record({ plan: { scopes: ['entitlements:read'] } }), now);
    expect(verdict.outcome === 'valid' && verdict.key.scopes).toEqual([]);
  });
});
