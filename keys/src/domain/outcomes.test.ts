import {
  isKeyFailure,
  isPermanentFailure,
  isValid,
  KEY_FAILURES,
  keyFailure,
  keyValid,
  namesAKey,
} from './outcomes';
import type { KeyOutcome, VerifiedKey } from './outcomes';

const verified: VerifiedKey = {
  keyId: 'key_01JDQ7X3S4T1V9KX2M5Q8W0KY1',
  appId: 'app_01JDQ7X3S4T1V9KX2M5Q8W0AP1',
  partnerId: 'prt_01JDQ7X3S4T1V9KX2M5Q8W0PR1',
  environment: 'test',
  scopes: ['crm:read'],
  planId: 'pln_01JDQ7X3S4T1V9KX2M5Q8W0PL1',
  expiresAt: null,
};

describe('verification outcomes', () => {
  test('are a closed list: valid and six failures', () => {
    expect([...KEY_FAILURES]).toEqual([
      'malformed',
      'not_found',
      'revoked',
      'expired',
      'app_not_active',
      'partner_suspended',
    ]);
  });

  test('do not include insufficient_scope (authorisation, answered 403, is decided per route)', () => {
    expect(isKeyFailure('insufficient_scope')).toBe(false);
  });

  test('a valid outcome carries who is calling', () => {
    const outcome = keyValid(verified);
    expect(isValid(outcome)).toBe(true);
    if (isValid(outcome)) expect(outcome.key).toBe(verified);
  });

  test.each([...KEY_FAILURES])('the %s failure is one shared frozen object, not valid', (failure) => {
    expect(keyFailure(failure)).toBe(keyFailure(failure));
    expect(Object.isFrozen(keyFailure(failure))).toBe(true);
    expect(keyFailure(failure)).toEqual({ outcome: failure });
    expect(isValid(keyFailure(failure))).toBe(false);
    expect(isKeyFailure(failure)).toBe(true);
  });

  test.each<[KeyOutcome, boolean, boolean]>([
    ['valid', false, true],
    ['malformed', true, false],
    ['not_found', true, false],
    ['revoked', true, true],
    ['expired', true, true],
    ['app_not_active', false, true],
    ['partner_suspended', false, true],
  ])('%s: permanent %s, names a key of the partner %s', (outcome, permanent, names) => {
    expect(isPermanentFailure(outcome)).toBe(permanent);
    expect(namesAKey(outcome)).toBe(names);
  });

  test.each([undefined, 42, 'VALID', 'valid', 'rate_limited'])('%j is not a failure', (value) => {
    expect(isKeyFailure(value)).toBe(false);
  });
});
