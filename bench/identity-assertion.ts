// Measures the identity assertion on the gateway → backend path: Ed25519 signing and verifying cold (every call does
// the crypto) and cached (the reuse the gateway and backends rely on), against jsonwebtoken RS256 measured in the same
// run (DESIGN.md: "an RS256 signature costs about a millisecond"). Prints operations per second and the ratios.
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { systemClock } from '../internal/src/clock';
import type { CallerIdentity } from '../internal/src/identity/identity-assertion';
import { generateIdentityKey, identityPublicKeys } from '../internal/src/identity/identity-keys';
import { createIdentitySigner } from '../internal/src/identity/identity-signer';
import { createIdentityVerifier } from '../internal/src/identity/identity-verifier';

const MEASURE_MS = 1_000;

/** Runs `body` for about MEASURE_MS after a warm-up and returns operations per second. */
function rate(label: string, body: (i: number) => unknown): number {
  for (let i = 0; i < 2_000; i++) body(i);
  let rounds = 0;
  const started = process.hrtime.bigint();
  let elapsedNs = 0n;
  while (elapsedNs < BigInt(MEASURE_MS) * 1_000_000n) {
    for (let i = 0; i < 256; i++) body(rounds + i);
    rounds += 256;
    elapsedNs = process.hrtime.bigint() - started;
  }
  const perSecond = rounds / (Number(elapsedNs) / 1e9);
  const usPerOp = 1e6 / perSecond;
  console.log(
    `${label.padEnd(44)} ${Math.round(perSecond).toLocaleString('en').padStart(12)} /s  ${usPerOp.toFixed(2).padStart(9)} µs/op`,
  );
  return perSecond;
}

const key = generateIdentityKey('i1').key;
const publicKeys = identityPublicKeys([key]);
const caller = (n: number): CallerIdentity => ({
  scheme: 'apiKey',
  credentialId: `key_01JD${String(n).padStart(22, '0')}`,
  appId: 'app_01JD0000000000000000000001',
  partnerId: 'prt_01JD0000000000000000000001',
  environment: 'live',
  scopes: ['crm:read', 'crm:write', 'orders:read'],
});
const one = caller(0);

// Baseline: what the same assertion would cost as RS256 with jsonwebtoken.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const claims = { sub: one.credentialId, partner: one.partnerId, scope: one.scopes.join(' ') };
const rs256 = jwt.sign(claims, rsa.privateKey, { algorithm: 'RS256', expiresIn: 60, audience: 'crm' });
const rsSign = rate('baseline: jsonwebtoken RS256 sign', () =>
  jwt.sign(claims, rsa.privateKey, { algorithm: 'RS256', expiresIn: 60, audience: 'crm' }),
);
const rsVerify = rate('baseline: jsonwebtoken RS256 verify', () =>
  jwt.verify(rs256, rsa.publicKey, { algorithms: ['RS256'], audience: 'crm' }),
);

// reuseSeconds 0: every call signs (a cold caller, or a gateway without reuse).
const coldSigner = createIdentitySigner({
  privateKey: key.privateKey,
  kid: key.kid,
  clock: systemClock,
  reuseSeconds: 0,
});
const warmSigner = createIdentitySigner({ privateKey: key.privateKey, kid: key.kid, clock: systemClock });
const signCold = rate('EdDSA assertion sign, cold', () => coldSigner(one, 'crm'));
const signWarm = rate('EdDSA assertion sign, cached (warm request)', () => warmSigner(one, 'crm'));

// Distinct tokens through a one-entry cache: every verification parses and checks the signature.
const tokens = Array.from({ length: 4_096 }, (_, n) => warmSigner(caller(n), 'crm'));
const coldVerifier = createIdentityVerifier({
  publicKeys,
  audience: 'crm',
  clock: systemClock,
  maxCacheEntries: 1,
});
const warmVerifier = createIdentityVerifier({ publicKeys, audience: 'crm', clock: systemClock });
const token = tokens[0]!;
if (coldVerifier(token).outcome !== 'valid') throw new Error('the benchmark token does not verify');
const verifyCold = rate('EdDSA assertion verify, cold', (i) => coldVerifier(tokens[i % tokens.length]));
// Each request's header value is a new string (as Node's HTTP parser makes it), so the cache must hash it again.
const tokenBytes = Buffer.from(token, 'latin1');
const verifyWarm = rate('EdDSA assertion verify, cached (warm request)', () =>
  warmVerifier(tokenBytes.toString('latin1')),
);

console.log('');
console.log(
  `sign:   cold ${(signCold / rsSign).toFixed(1)}x RS256, cached ${(signWarm / rsSign).toFixed(0)}x RS256, cached/cold ${(signWarm / signCold).toFixed(0)}x`,
);
console.log(
  `verify: cold ${(verifyCold / rsVerify).toFixed(1)}x RS256, cached ${(verifyWarm / rsVerify).toFixed(0)}x RS256, cached/cold ${(verifyWarm / verifyCold).toFixed(0)}x`,
);
console.log(`assertion length: ${token.length} characters`);
