// Personal access tokens on both engines: shown once and stored as a digest, listed only to their owner, verified
// by format then one lookup with an outcome as data, revoked at once, limited in number and lifetime, audited.
import { randomBytes } from 'node:crypto';
import { pageRequest } from '../../../internal/src/pagination';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createPepperRing, storedDigest } from '../domain/key-digest';
import { generatePersonalToken } from '../domain/key-format';
import type { SecretRing } from '../domain/secret-ring';
import { listAuditEvents } from './audit-events';
import { changeMemberRole } from './member-changes';
import { inviteMember } from './member-invitations';
import {
  createPersonalToken,
  getPersonalToken,
  listPersonalTokens,
  MAX_ACTIVE_TOKENS_PER_MEMBER,
  redigestPersonalToken,
  revokePersonalToken,
  touchPersonalTokens,
  verifyPersonalToken,
} from './personal-tokens';
import { openKeysStore, signUp, type TestDeps } from './test-fixtures';

const DAY = 24 * 60 * 60 * 1000;
const P1 = { id: 'p1', secret: randomBytes(32) };
const P2 = { id: 'p2', secret: randomBytes(32) };

describeEachStore('personal access tokens', (store) => {
  let deps: TestDeps & { peppers: SecretRing };
  beforeAll(async () => {
    deps = { ...(await openKeysStore(store, 'personal_tokens')), peppers: createPepperRing([P1]) };
  });

  async function issue(
    tenant?: Awaited<ReturnType<typeof signUp>>,
    options: { scopes?: string[]; expiresAt?: string; ring?: SecretRing } = {},
  ) {
    const t = tenant ?? (await signUp(deps));
    const generated = generatePersonalToken();
    const personalToken = await createPersonalToken(
      deps,
      t.owner,
      {
        name: 'CI deploy pipeline',
        scopes: options.scopes ?? ['platform:write', 'platform:read'],
        secret: {
          ...storedDigest(options.ring ?? deps.peppers, generated.secret),
          prefix: generated.prefix,
          last4: generated.last4,
        },
        ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
      },
      t.as,
    );
    return { ...t, token: generated.secret, personalToken };
  }

  test('a token is created with its display parts, normalised scopes and a 90-day default expiry, and audited', async () => {
    const { personalToken, token, owner, partner } = await issue();
    expect(personalToken).toMatchObject({
      memberId: owner.id,
      prefix: token.slice(0, 8),
      last4: token.slice(-4),
      scopes: ['platform:read', 'platform:write'],
      expiresAt: new Date(deps.clock.now().getTime() + 90 * DAY).toISOString(),
      lastUsedAt: null,
    });
    const row = await deps.db
      .selectFrom('personal_tokens')
      .selectAll()
      .where('id', '=', personalToken.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token);
    const [event] = (
      await listAuditEvents(
        deps,
        { partnerId: partner.id },
        { action: 'personal_token.created' },
        pageRequest({}, 'aud'),
      )
    ).data;
    expect(event).toMatchObject({
      target: { id: personalToken.id },
      details: { prefix: personalToken.prefix, last4: personalToken.last4 },
    });
    expect(JSON.stringify(event)).not.toContain(token);
  });

  test('a valid token verifies as its member with the current role and its scopes', async () => {
    const tenant = await signUp(deps);
    const { token, personalToken, owner, partner } = await issue(tenant, { scopes: ['platform:read'] });
    expect(await verifyPersonalToken(deps, token)).toEqual({
      outcome: 'valid',
      token: {
        tokenId: personalToken.id,
        memberId: owner.id,
        memberEmail: owner.email,
        role: 'owner',
        partnerId: partner.id,
        partnerStatus: 'active',
        scopes: ['platform:read'],
        expiresAt: personalToken.expiresAt,
        needsRedigest: false,
      },
    });
    // A role change applies at once (a second owner first, so the first can be demoted).
    const second = await inviteMember(
      deps,
      { partnerId: partner.id },
      {
        email: `o.${randomBytes(3).toString('hex')}@x.example`,
        role: 'owner',
        invitation: { pepperId: 'p1', digest: randomBytes(32).toString('base64url') },
      },
      tenant.as,
    );
    await deps.db.updateTable('members').set({ status: 'active' }).where('id', '=', second.id).execute();
    await changeMemberRole(deps, { partnerId: partner.id }, owner.id, 'viewer', tenant.as);
    expect(await verifyPersonalToken(deps, token)).toMatchObject({
      outcome: 'valid',
      token: { role: 'viewer' },
    });
  });

  test('malformed and mistyped tokens are refused without touching the store; unknown ones are not_found', async () => {
    const { token } = await issue();
    const noStore = { ...deps, db: undefined as never };
    expect(await verifyPersonalToken(noStore, 'ptp_short')).toEqual({ outcome: 'malformed' });
    expect(
      await verifyPersonalToken(
        noStore,
        `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`,
      ),
    ).toEqual({
      outcome: 'malformed',
    });
    expect(await verifyPersonalToken(noStore, 42)).toEqual({ outcome: 'malformed' });
    expect(await verifyPersonalToken(deps, generatePersonalToken().secret)).toEqual({ outcome: 'not_found' });
  });

  test('a token expires at its expiresAt', async () => {
    const { token } = await issue(undefined, {
      expiresAt: new Date(deps.clock.now().getTime() + DAY).toISOString(),
    });
    deps.clock.advance(DAY - 1);
    expect(await verifyPersonalToken(deps, token)).toMatchObject({ outcome: 'valid' });
    deps.clock.advance(1);
    expect(await verifyPersonalToken(deps, token)).toEqual({ outcome: 'expired' });
  });

  test.each([
    ['in the past', -1],
    ['more than 366 days away', 366 * DAY + 1],
  ])('an expiry %s is a 422 on /expiresAt', async (_label, offset) => {
    await expect(
      issue(undefined, { expiresAt: new Date(deps.clock.now().getTime() + offset).toISOString() }),
    ).rejects.toMatchObject({
      code: 'unprocessable',
      options: { errors: [expect.objectContaining({ pointer: '/expiresAt' })] },
    });
  });

  test('scopes other than platform:read and platform:write are a 422 on /scopes', async () => {
    await expect(issue(undefined, { scopes: ['crm:read'] })).rejects.toMatchObject({
      code: 'unprocessable',
      options: { errors: [expect.objectContaining({ pointer: '/scopes' })] },
    });
    await expect(issue(undefined, { scopes: [] })).rejects.toMatchObject({ code: 'unprocessable' });
  });

  test("a member sees only its own tokens; another member's is not found", async () => {
    const a = await issue();
    const b = await issue();
    const listed = await listPersonalTokens(deps, a.owner, pageRequest({}, 'pat'));
    expect(listed.data.map((t) => t.id)).toEqual([a.personalToken.id]);
    expect(await getPersonalToken(deps, a.owner, a.personalToken.id)).toEqual(a.personalToken);
    await expect(getPersonalToken(deps, a.owner, b.personalToken.id)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(revokePersonalToken(deps, a.owner, b.personalToken.id, a.as)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await verifyPersonalToken(deps, b.token)).toMatchObject({ outcome: 'valid' });
  });

  test('a revoked token answers revoked at once and is forgotten: not listed, not found, not revocable again', async () => {
    const { token, personalToken, owner, as, partner } = await issue();
    await revokePersonalToken(deps, owner, personalToken.id, as);
    expect(await verifyPersonalToken(deps, token)).toEqual({ outcome: 'revoked' });
    expect((await listPersonalTokens(deps, owner, pageRequest({}, 'pat'))).data).toEqual([]);
    await expect(getPersonalToken(deps, owner, personalToken.id)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(revokePersonalToken(deps, owner, personalToken.id, as)).rejects.toMatchObject({
      code: 'not_found',
    });
    const events = await listAuditEvents(
      deps,
      { partnerId: partner.id },
      { action: 'personal_token.revoked' },
      pageRequest({}, 'aud'),
    );
    expect(events.data).toHaveLength(1);
  });

  test(`a member holds at most ${MAX_ACTIVE_TOKENS_PER_MEMBER} live tokens; revoked and expired ones do not count`, async () => {
    const tenant = await signUp(deps);
    await issue(tenant, {
      expiresAt: new Date(deps.clock.now().getTime() + DAY).toISOString(),
    });
    for (let i = 1; i < MAX_ACTIVE_TOKENS_PER_MEMBER; i++) await issue(tenant);
    await expect(issue(tenant)).rejects.toMatchObject({ code: 'conflict' });
    deps.clock.advance(DAY);
    const replacement = await issue(tenant);
    await expect(issue(tenant)).rejects.toMatchObject({ code: 'conflict' });
    await revokePersonalToken(deps, tenant.owner, replacement.personalToken.id, tenant.as);
    await expect(issue(tenant)).resolves.toBeDefined();
  });

  test('last-used times are written in batches and never move backwards', async () => {
    const a = await issue();
    const b = await issue();
    const later = new Date(deps.clock.now().getTime() + 60_000).toISOString();
    const earlier = deps.clock.now().toISOString();
    expect(
      await touchPersonalTokens(deps, [a.personalToken.id, b.personalToken.id, a.personalToken.id], later),
    ).toBe(2);
    expect(await touchPersonalTokens(deps, [a.personalToken.id], earlier)).toBe(0);
    expect((await getPersonalToken(deps, a.owner, a.personalToken.id)).lastUsedAt).toBe(later);
  });

  test('a token made under an older pepper verifies, asks to be re-digested, and still verifies after it', async () => {
    const { token, personalToken } = await issue(undefined, { ring: createPepperRing([P1]) });
    const rotated = { ...deps, peppers: createPepperRing([P2, P1]) };
    expect(await verifyPersonalToken(rotated, token)).toMatchObject({
      outcome: 'valid',
      token: { needsRedigest: true },
    });
    expect(await redigestPersonalToken(deps, personalToken.id, storedDigest(rotated.peppers, token))).toBe(
      true,
    );
    expect(await verifyPersonalToken(rotated, token)).toMatchObject({
      outcome: 'valid',
      token: { needsRedigest: false },
    });
    expect(await verifyPersonalToken({ ...deps, peppers: createPepperRing([P2]) }, token)).toMatchObject({
      outcome: 'valid',
    });
  });
});
