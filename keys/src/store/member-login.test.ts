// Sign-in: the address is compared case-insensitively, every failure is the same outcome, and a hash made with
// older scrypt parameters is upgraded on a successful sign-in.
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { hashPassword, parsePasswordHash, verifyPassword, type ScryptParams } from '../domain/password';
import { authenticateMember } from './member-login';
import { createPartnerWithOwner } from './partners';
import { FREE_PLAN_ID } from './seeded-plans';
import { openKeysStore, type TestDeps } from './test-fixtures';

// Cheap parameters keep the suite fast; the rules do not depend on the cost.
const OLD: ScryptParams = { N: 2 ** 10, r: 8, p: 1, saltBytes: 16, hashBytes: 32 };
const CURRENT: ScryptParams = { ...OLD, N: 2 ** 11 };
const PASSWORD = 'a-long-and-memorable-passphrase';

describeEachStore('member sign-in', (store) => {
  let deps: TestDeps;
  let n = 0;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'login');
  });

  async function owner(params = CURRENT) {
    n += 1;
    const email = `Zhang.Min.${n}@JadePharm.example`;
    const { owner } = await createPartnerWithOwner(
      deps,
      {
        partnerName: 'Jade',
        planId: FREE_PLAN_ID,
        owner: { name: 'Zhang Min', email, passwordHash: await hashPassword(PASSWORD, params) },
      },
      { requestId: null, ip: null, userAgent: null },
    );
    return { email, owner };
  }

  test('the right password signs in, with the address in any case; the hash never leaves the store', async () => {
    const { email, owner: member } = await owner();
    const outcome = await authenticateMember(
      deps,
      { email: email.toUpperCase(), password: PASSWORD },
      CURRENT,
    );
    expect(outcome).toMatchObject({
      outcome: 'authenticated',
      member: { id: member.id },
      partner: { id: member.partnerId },
      rehashed: false,
    });
    expect(JSON.stringify(outcome)).not.toContain('scrypt$');
  });

  test('a wrong password, an unknown address and an invited member all get the same outcome', async () => {
    const { email, owner: member } = await owner();
    expect(await authenticateMember(deps, { email, password: `${PASSWORD}!` }, CURRENT)).toEqual({
      outcome: 'invalid_credentials',
    });
    expect(
      await authenticateMember(deps, { email: 'nobody@nowhere.example', password: PASSWORD }, CURRENT),
    ).toEqual({
      outcome: 'invalid_credentials',
    });
    await deps.db.updateTable('members').set({ status: 'invited' }).where('id', '=', member.id).execute();
    expect(await authenticateMember(deps, { email, password: PASSWORD }, CURRENT)).toEqual({
      outcome: 'invalid_credentials',
    });
  });

  test('a hash made with older parameters is upgraded at sign-in, once', async () => {
    const { email, owner: member } = await owner(OLD);
    expect(await authenticateMember(deps, { email, password: PASSWORD }, CURRENT)).toMatchObject({
      rehashed: true,
    });
    const { password_hash } = await deps.db
      .selectFrom('members')
      .select('password_hash')
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(parsePasswordHash(password_hash!)?.N).toBe(CURRENT.N);
    expect(await verifyPassword(password_hash!, PASSWORD)).toBe(true);
    expect(await authenticateMember(deps, { email, password: PASSWORD }, CURRENT)).toMatchObject({
      rehashed: false,
    });
  });
});
