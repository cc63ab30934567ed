// After sessions, personal tokens, invitations (pending and accepted) and HMAC signing keys are made, neither the
// raw bytes of the SQLite file nor a `select *` of every PostgreSQL table holds any of those secrets in clear.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createPepperRing, storedDigest } from '../domain/key-digest';
import { generateInvitationToken, generatePersonalToken } from '../domain/key-format';
import { createSecretBoxRing } from '../domain/secret-box';
import { scanForSecrets } from '../domain/secret-scan';
import { acceptInvitation, inviteMember } from './member-invitations';
import { createPersonalToken } from './personal-tokens';
import { createSession } from './sessions';
import { createSigningKey } from './signing-keys';
import { openKeysStore, signUp, testApp, type TestDeps } from './test-fixtures';

describeEachStore('secrets at rest', (store) => {
  let deps: TestDeps;
  beforeAll(async () => {
    deps = await openKeysStore(store, 'secrets_at_rest');
  });

  test('no session token, CSRF token, personal token, invitation token or HMAC secret is stored in clear', async () => {
    const peppers = createPepperRing([{ id: 'p1', secret: randomBytes(32) }]);
    const secretBox = createSecretBoxRing([{ id: 'k1', secret: randomBytes(32) }]);
    const secrets: string[] = [];
    const emails: string[] = [];
    for (let i = 0; i < 3; i++) {
      const tenant = await signUp(deps);
      const scope = { partnerId: tenant.partner.id };
      emails.push(tenant.owner.email);
      const session = await createSession({ ...deps, peppers }, tenant.owner, {
        requestId: null,
        ip: null,
        userAgent: null,
      });
      secrets.push(session.token, session.csrfToken);

      const pat = generatePersonalToken();
      await createPersonalToken(
        deps,
        tenant.owner,
        {
          name: 'ci',
          scopes: ['platform:read'],
          secret: { ...storedDigest(peppers, pat.secret), prefix: pat.prefix, last4: pat.last4 },
        },
        tenant.as,
      );
      secrets.push(pat.secret);

      for (const accept of [false, true]) {
        const invitation = generateInvitationToken().secret;
        await inviteMember(
          deps,
          scope,
          {
            email: `m.${randomBytes(4).toString('hex')}@x.example`,
            role: 'developer',
            invitation: storedDigest(peppers, invitation),
          },
          tenant.as,
        );
        secrets.push(invitation);
        if (accept) {
          const accepted = await acceptInvitation(
            { ...deps, peppers, scrypt: { N: 2 ** 10, r: 8, p: 1, saltBytes: 16, hashBytes: 32 } },
            { token: invitation, name: 'Chen Jie', password: 'a-long-and-memorable-passphrase' },
            { requestId: null, ip: null, userAgent: null },
          );
          expect(accepted.outcome).toBe('accepted');
        }
      }

      for (const environment of ['test', 'live'] as const) {
        const app = await testApp(deps, tenant, environment);
        if (environment === 'live')
          await deps.db.updateTable('apps').set({ status: 'active' }).where('id', '=', app.id).execute();
        const { secret } = await createSigningKey(
          { ...deps, secretBox },
          scope,
          app.id,
          { algorithm: 'hmac-sha256', name: 'k' },
          tenant.as,
        );
        secrets.push(secret!);
      }
    }
    expect(secrets).toHaveLength(3 * 7);

    const dump = store.dialect === 'sqlite' ? await sqliteBytes() : await postgresRows();
    // The dump is readable: what is stored in clear (addresses) is found in it.
    expect(emails.filter((e) => dump.includes(e))).toEqual(emails);
    expect(secrets.filter((s) => dump.includes(s))).toEqual([]);
    // Nothing of Portico's secret formats at all, not even with a wrong checksum.
    expect(scanForSecrets(dump)).toEqual([]);
  });

  /** The database file and its write-ahead log, byte for byte (latin1 keeps every byte as one character). */
  async function sqliteBytes(): Promise<string> {
    const { rows } = await sql<{
      file: string;
    }>`select file from pragma_database_list where name = 'main'`.execute(deps.db);
    const file = rows[0]!.file;
    const parts = [file, `${file}-wal`]
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f).toString('latin1'));
    return parts.join('\n');
  }

  /** `select *` of every table of the suite's schema, as JSON. */
  async function postgresRows(): Promise<string> {
    const { rows: tables } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(deps.db);
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['sessions', 'personal_tokens', 'members', 'signing_keys', 'audit_events']),
    );
    const parts: string[] = [];
    for (const { table_name } of tables) {
      const { rows } = await sql`select * from ${sql.table(table_name)}`.execute(deps.db);
      parts.push(JSON.stringify(rows));
    }
    return parts.join('\n');
  }
});
