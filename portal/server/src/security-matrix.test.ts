// The security matrix of the management API, generated from the spec's policies (x-portico-roles, security): for
// EVERY operation, every caller that must be refused is refused with the documented status and code, before any
// handler runs — and nothing is written (the audit trail, which every change appends to, does not grow).
import type { ContractClient } from '../../../internal/src/testing/contract-client';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { PLATFORM_SPEC_PATH } from './app';
import { loadOperationPolicies, type OperationPolicy } from './auth/operation-policies';
import { startTestPortal, type TestPortal } from './testing/portal-harness';
import { personalToken, teamOf, type Team } from './testing/members';

const policies = loadOperationPolicies(PLATFORM_SPEC_PATH);
const memberRoles = ['owner', 'admin', 'developer', 'viewer'] as const;

function paramsOf(policy: OperationPolicy): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [, name] of policy.path.matchAll(/\{([^}]+)\}/g)) params[name!] = `${name}Placeholder`;
  return params;
}

async function expectRefused(
  client: ContractClient,
  policy: OperationPolicy,
  status: number,
  code: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const response = await client.call(policy.operationId, {
    params: paramsOf(policy),
    ...(policy.changes ? { body: {} } : {}),
    headers,
  });
  const label = `${policy.method} ${policy.path} (${policy.operationId})`;
  expect({ label, status: response.status, code: response.body?.code }).toEqual({ label, status, code });
  if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="portico"/);
}

const acceptsScheme = (policy: OperationPolicy, scheme: string) =>
  policy.security.some((alternative) => alternative.has(scheme as never));
const memberOps = policies.filter((p) => memberRoles.some((role) => p.roles.has(role)));
const operatorOnly = policies.filter(
  (p) => p.roles.has('operator') && !memberRoles.some((r) => p.roles.has(r)),
);

describeEachStore('management API security matrix', (store) => {
  let portal: TestPortal;
  let team: Team;
  let readToken: string;
  let fullToken: string;
  let auditRowsBefore: number;

  const auditRows = async () =>
    Number(
      (
        await portal.deps.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    portal = await startTestPortal(store);
    team = await teamOf(portal);
    readToken = (await personalToken(team.owner, ['platform:read'])).token;
    fullToken = (await personalToken(team.owner, ['platform:read', 'platform:write'])).token;
    auditRowsBefore = await auditRows();
  });
  afterAll(() => portal.close());

  test('the spec gives every operation a policy, and only sign-up, sign-in and invitation acceptance are anonymous', () => {
    expect(policies).toHaveLength(50);
    expect(
      policies
        .filter((p) => p.roles.has('anonymous'))
        .map((p) => p.operationId)
        .sort(),
    ).toEqual(['acceptInvitation', 'login', 'signUp']);
  });

  test('without a credential, or with an unknown bearer token, every other operation is a 401', async () => {
    for (const policy of policies.filter((p) => !p.roles.has('anonymous'))) {
      await expectRefused(portal.anonymous, policy, 401, 'unauthenticated');
      await expectRefused(portal.withToken('not-a-real-token-at-all'), policy, 401, 'unauthenticated');
      await expectRefused(portal.withToken(`ptp_test_${'x'.repeat(40)}`), policy, 401, 'unauthenticated');
    }
  });

  test('the operator token cannot call partner operations; members cannot call operator operations', async () => {
    for (const policy of memberOps.filter((p) => !p.roles.has('operator'))) {
      await expectRefused(portal.operator, policy, 401, 'unauthenticated');
    }
    expect(operatorOnly.length).toBeGreaterThanOrEqual(8);
    for (const policy of operatorOnly) {
      await expectRefused(team.owner.client, policy, 401, 'unauthenticated');
      await expectRefused(portal.withToken(fullToken), policy, 401, 'unauthenticated');
    }
  });

  test('a session change without the CSRF token is a 403 csrf_failed', async () => {
    for (const policy of memberOps.filter((p) => p.changes && acceptsScheme(p, 'session'))) {
      await expectRefused(portal.anonymous, policy, 403, 'csrf_failed', { cookie: team.owner.cookie });
      await expectRefused(portal.anonymous, policy, 403, 'csrf_failed', {
        cookie: team.owner.cookie,
        'x-csrf-token': team.viewer.csrfToken,
      });
    }
  });

  test('a personal token with only platform:read cannot change anything (403 insufficient_scope)', async () => {
    for (const policy of memberOps.filter((p) => p.changes && acceptsScheme(p, 'personalToken'))) {
      await expectRefused(portal.withToken(readToken), policy, 403, 'insufficient_scope');
    }
  });

  test('operations that need a session answer a personal token with 401 (a token cannot mint tokens)', async () => {
    const sessionOnly = memberOps.filter((p) => !acceptsScheme(p, 'personalToken'));
    expect(sessionOnly.map((p) => p.operationId)).toEqual(expect.arrayContaining(['createPersonalToken']));
    for (const policy of sessionOnly) {
      await expectRefused(portal.withToken(fullToken), policy, 401, 'unauthenticated');
    }
  });

  test.each(['admin', 'developer', 'viewer'] as const)(
    'a %s is refused (403 forbidden) every operation its role does not allow',
    async (role) => {
      const refused = memberOps.filter((p) => !p.roles.has(role));
      if (role === 'viewer')
        expect(refused.every((p) => p.changes || p.operationId === 'listAuditEvents')).toBe(true);
      if (role !== 'admin')
        expect(refused.map((p) => p.operationId)).toEqual(
          expect.arrayContaining(['updatePartner', 'inviteMember', 'listAuditEvents']),
        );
      for (const policy of refused) await expectRefused(team[role].client, policy, 403, 'forbidden');
    },
  );

  test('a path in another letter case or with a trailing slash is authorised like the original, never bypassed', async () => {
    const variants = (path: string) => [
      path.toUpperCase(),
      path.replace('/api/v1/', '/API/V1/'),
      path.replace(/\/([a-z])/, (_, c: string) => `/${c.toUpperCase()}`),
      path.replace(/^\/api\/v1\/([a-z-]+)/, (_, seg: string) => `/api/v1/${seg.toUpperCase()}`),
      `${path}/`,
    ];
    for (const policy of policies) {
      const path = `/api/v1${policy.path.replace(/\{([^}]+)\}/g, (_, name: string) => `${name}Placeholder`)}`;
      for (const variant of variants(path)) {
        const response = await fetch(`${portal.baseUrl}${variant}`, {
          method: policy.method,
          headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
          ...(policy.method === 'GET' ? {} : { body: '{}' }),
        });
        const expected = policy.roles.has('anonymous') ? [403, 404] : [401, 404];
        const outcome = expected.includes(response.status) ? 'refused' : response.status;
        expect({ variant, method: policy.method, outcome }).toEqual({
          variant,
          method: policy.method,
          outcome: 'refused',
        });
      }
    }
  });

  test('nothing that was refused wrote anything', async () => {
    expect(await auditRows()).toBe(auditRowsBefore);
  });
});
