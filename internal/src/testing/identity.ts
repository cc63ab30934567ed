// Identity assertions for tests: one Ed25519 key pair per test process, a signer and verifiers on it, and the
// headers to send to a backend built with identityAssertion — exactly what the gateway sends. The service harness
// gives each backend t.verifierFor(name) and its contract client t.headersFor(identity, name).
import type { KeyObject } from 'node:crypto';
import { systemClock, type Clock } from '../clock';
import type { Identity } from '../http/locals';
import { IDENTITY_ASSERTION_HEADER, type CallerIdentity } from '../identity/identity-assertion';
import { generateIdentityKey, identityPublicKeys, type IdentityKey } from '../identity/identity-keys';
import { createIdentitySigner, type IdentitySigner } from '../identity/identity-signer';
import { createIdentityVerifier, type IdentityVerifier } from '../identity/identity-verifier';

export const TEST_IDENTITY_KID = 'test';

let processKey: IdentityKey | undefined;
/** The key pair every test of this process shares (generated once: ~50 µs, but keys should not differ by file). */
export function testIdentityKey(): IdentityKey {
  processKey ??= generateIdentityKey(TEST_IDENTITY_KID).key;
  return processKey;
}

/**
 * The caller a test Identity stands for: an API key and app derived from the partner id, no scopes (backends do
 * not check scopes; the gateway does). A full CallerIdentity, or overrides, are kept as given.
 */
export function testCaller(
  identity: Identity | CallerIdentity,
  overrides: Partial<CallerIdentity> = {},
): CallerIdentity {
  const suffix = identity.partnerId.replace(/^prt_/, '');
  return {
    scheme: 'apiKey',
    credentialId: `key_${suffix}`,
    appId: `app_${suffix}`,
    scopes: [],
    ...identity,
    ...overrides,
  };
}

export interface TestIdentityAssertions {
  key: IdentityKey;
  publicKeys: ReadonlyMap<string, KeyObject>;
  /** The gateway's signer on the test key (60 s assertions, reused for 45 s, on the given clock). */
  sign: IdentitySigner;
  /** The verifier a backend named `audience` (`crm`, `orders`, `entitlements`) uses in tests. */
  verifierFor(audience: string): IdentityVerifier;
  /** Headers carrying a signed assertion of this identity for that backend. */
  headersFor(identity: Identity | CallerIdentity, audience: string): Record<string, string>;
}

/** Signer and verifiers share the clock, so a suite on a manual clock sees assertions issued at its own time. */
export function createTestIdentityAssertions(options: { clock?: Clock } = {}): TestIdentityAssertions {
  const clock = options.clock ?? systemClock;
  const key = testIdentityKey();
  const publicKeys = identityPublicKeys([key]);
  const sign = createIdentitySigner({ privateKey: key.privateKey, kid: key.kid, clock });
  return {
    key,
    publicKeys,
    sign,
    verifierFor: (audience) => createIdentityVerifier({ publicKeys, audience, clock }),
    headersFor: (identity, audience) => ({
      [IDENTITY_ASSERTION_HEADER]: sign(testCaller(identity), audience),
    }),
  };
}
