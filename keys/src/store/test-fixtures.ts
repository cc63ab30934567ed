// Shared set-up for the store's tests: a migrated store with a manual clock, audit contexts, and partners, apps
// and key secrets made the way the management API will make them (digests here are random stand-ins).
import { createHash, randomBytes } from 'node:crypto';
import { manualClock } from '../../../internal/src/clock';
import type { Environment } from '../../../internal/src/http/locals';
import { createIdGenerator } from '../../../internal/src/ids';
import type { TestStore } from '../../../internal/src/testing/test-store';
import type { StoredKeySecret } from './api-keys';
import { createApp, type App } from './apps';
import type { AuditContext } from './audit-events';
import type { KeysStoreDeps } from './deps';
import type { Member } from './members';
import { keysMigrations } from './migrations';
import { createPartnerWithOwner, type Partner } from './partners';
import type { KeysTables } from './schema';
import { FREE_PLAN_ID } from './seeded-plans';

export type TestDeps = KeysStoreDeps & { clock: ReturnType<typeof manualClock> };

export async function openKeysStore(store: TestStore, name: string): Promise<TestDeps> {
  const { db } = await store.open<KeysTables>(name, keysMigrations);
  const clock = manualClock('2026-11-24T09:30:00.000Z');
  return { db, clock, newId: createIdGenerator(() => clock.now().getTime()) };
}

export function memberContext(member: Pick<Member, 'id' | 'email'>): AuditContext {
  return {
    actor: { type: 'member', memberId: member.id, email: member.email, personalTokenId: null },
    requestId: 'req_test',
    ip: '203.0.113.7',
    userAgent: 'jest',
  };
}

export const OPERATOR: AuditContext = {
  actor: { type: 'operator', memberId: null, email: null, personalTokenId: null },
  requestId: 'req_operator',
  ip: '198.51.100.1',
  userAgent: 'jest',
};

let partnerCount = 0;

/** A partner with its owner and the owner's audit context. */
export async function signUp(
  deps: KeysStoreDeps,
  planId = FREE_PLAN_ID,
): Promise<{ partner: Partner; owner: Member; as: AuditContext }> {
  partnerCount += 1;
  const { partner, owner } = await createPartnerWithOwner(
    deps,
    {
      partnerName: `Jade Pharmacy ${partnerCount}`,
      planId,
      owner: {
        name: 'Li Wei',
        email: `li.wei.${partnerCount}.${randomBytes(3).toString('hex')}@jadepharm.example`,
        passwordHash: 'scrypt$test',
      },
    },
    { requestId: 'req_signup', ip: null, userAgent: null },
  );
  return { partner, owner, as: memberContext(owner) };
}

export async function testApp(
  deps: KeysStoreDeps,
  tenant: { partner: Partner; as: AuditContext },
  environment: Environment = 'test',
  scopes = ['crm:read', 'crm:write', 'orders:read'],
): Promise<App> {
  return createApp(
    deps,
    { partnerId: tenant.partner.id },
    { name: `Clinic sync ${randomBytes(3).toString('hex')}`, environment, scopes },
    tenant.as,
  );
}

/** A stand-in for the domain's key secret: a unique digest and the displayable parts. */
export function fakeSecret(environment: Environment = 'test'): StoredKeySecret & { key: string } {
  const key = `ptc_${environment}_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x')}`;
  return {
    key,
    digest: createHash('sha256').update(key).digest('hex'),
    pepperId: 'p1',
    prefix: key.slice(0, `ptc_${environment}_`.length + 4),
    last4: key.slice(-4),
  };
}
