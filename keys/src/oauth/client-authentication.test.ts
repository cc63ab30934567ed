// Client authentication rule: current secret, previous secret only within its overlap, peppers that rotate, and
// the app and partner standing checked only once the secret is right.
import { randomBytes } from 'node:crypto';
import { createPepperRing, storedDigest } from '../domain/key-digest';
import { generateOAuthClientSecret } from '../domain/key-format';
import {
  authenticateClient,
  clientStandingFailure,
  toClientStanding,
  type OAuthClientRecord,
} from './client-authentication';

const P1 = { id: 'p1', secret: randomBytes(32) };
const P2 = { id: 'p2', secret: randomBytes(32) };
const ring = createPepperRing([P1]);
const now = new Date('2026-11-24T09:30:00.000Z');

function record(secret: string, overrides: Partial<OAuthClientRecord> = {}): OAuthClientRecord {
  return {
    clientId: 'oac_01JDQ7X3S4T1V9KX2M5Q8W0CN1',
    partnerId: 'prt_01JDQ7X3S4T1V9KX2M5Q8W0CN1',
    appId: 'app_01JDQ7X3S4T1V9KX2M5Q8W0CN1',
    environment: 'test',
    scopes: ['crm:read'],
    accessTokenTtlSeconds: 600,
    secret: storedDigest(ring, secret),
    previousSecret: null,
    app: { status: 'active', deleted: false, scopes: ['crm:read'] },
    partner: { status: 'active' },
    plan: { id: 'pln_x', scopes: ['crm:read'] },
    ...overrides,
  };
}

describe('authenticateClient', () => {
  const current = generateOAuthClientSecret('test').secret;
  const previous = generateOAuthClientSecret('test').secret;

  test('the current secret authenticates', () => {
    expect(authenticateClient(record(current), current, ring, now)).toEqual({
      ok: true,
      matched: 'current',
      needsRedigest: false,
    });
  });

  test('the previous secret authenticates until its overlap ends, and not at that instant', () => {
    const rec = record(current, {
      previousSecret: { ...storedDigest(ring, previous), expiresAt: '2026-11-24T10:30:00.000Z' },
    });
    expect(authenticateClient(rec, previous, ring, now)).toMatchObject({ ok: true, matched: 'previous' });
    expect(authenticateClient(rec, previous, ring, new Date('2026-11-24T10:30:00.000Z'))).toEqual({
      ok: false,
      reason: 'wrong_secret',
    });
  });

  test('a well-formed but wrong secret, and a secret of another format, are refused', () => {
    expect(authenticateClient(record(current), previous, ring, now)).toEqual({
      ok: false,
      reason: 'wrong_secret',
    });
    expect(authenticateClient(record(current), 'hunter2', ring, now)).toEqual({
      ok: false,
      reason: 'malformed_secret',
    });
    const typo = `${current.slice(0, 20)}${current[20] === 'A' ? 'B' : 'A'}${current.slice(21)}`;
    expect(authenticateClient(record(current), typo, ring, now)).toEqual({
      ok: false,
      reason: 'malformed_secret',
    });
  });

  test('an unknown client is refused', () => {
    expect(authenticateClient(undefined, current, ring, now)).toEqual({
      ok: false,
      reason: 'unknown_client',
    });
  });

  test('a live secret presented for a test client is refused even if its digest matched', () => {
    const live = generateOAuthClientSecret('live').secret;
    expect(authenticateClient(record(live), live, ring, now)).toEqual({
      ok: false,
      reason: 'environment_mismatch',
    });
  });

  test('a secret digested under an older pepper still works and asks to be re-digested', () => {
    const old = record(current);
    const rotated = createPepperRing([P2, P1]);
    expect(authenticateClient(old, current, rotated, now)).toEqual({
      ok: true,
      matched: 'current',
      needsRedigest: true,
    });
    expect(authenticateClient(old, current, createPepperRing([P2]), now)).toEqual({
      ok: false,
      reason: 'wrong_secret',
    });
  });

  test('app and partner standing are reported only to the holder of the right secret', () => {
    const suspended = record(current, { partner: { status: 'suspended' } });
    expect(authenticateClient(suspended, current, ring, now)).toEqual({
      ok: false,
      reason: 'partner_suspended',
    });
    expect(authenticateClient(suspended, previous, ring, now)).toEqual({ ok: false, reason: 'wrong_secret' });
    const pending = record(current, { app: { status: 'pending_approval', deleted: false, scopes: [] } });
    expect(authenticateClient(pending, current, ring, now)).toEqual({ ok: false, reason: 'app_not_active' });
    const deleted = record(current, { app: { status: 'active', deleted: true, scopes: [] } });
    expect(authenticateClient(deleted, current, ring, now)).toEqual({ ok: false, reason: 'app_deleted' });
  });

  test('a status other than active fails closed', () => {
    expect(clientStandingFailure(record(current, { partner: { status: 'archived' } }))).toBe(
      'partner_suspended',
    );
    expect(clientStandingFailure(record(current))).toBeNull();
  });

  test('the cached standing carries no digest', () => {
    const standing = toClientStanding(record(current));
    expect(standing).not.toHaveProperty('secret');
    expect(standing).not.toHaveProperty('previousSecret');
  });
});
