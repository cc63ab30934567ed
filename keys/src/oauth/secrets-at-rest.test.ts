// Issue 3's acceptance for OAuth: after creating clients, rotating their secrets, issuing tokens and rotating the
// issuer key, the raw SQLite file (and every row of every table on PostgreSQL) holds no client secret and no
// issuer private key — only keyed digests, and private halves as secret-box ciphertext.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { manualClock } from '../../../internal/src/clock';
import { createIdGenerator } from '../../../internal/src/ids';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { createPepperRing } from '../domain/key-digest';
import { createSecretBoxRing } from '../domain/secret-box';
import { scanForSecrets } from '../domain/secret-scan';
import { memoryInvalidationBus } from '../events/invalidation';
import { keysMigrations } from '../store/migrations';
import type { KeysTables } from '../store/schema';
import { signUp, testApp, type TestDeps } from '../store/test-fixtures';
import { openIssuerPrivateKey } from './issuer-key-material';
import { createOAuthClientWithSecret, rotateOAuthClientSecretWithNew } from './oauth-client-secrets';
import { createOAuthService } from './oauth-service';
import { oauthSettings } from './oauth-settings';

const peppers = createPepperRing([{ id: 'p1', secret: randomBytes(32) }]);
const secretBox = createSecretBoxRing([{ id: 'k1', secret: randomBytes(32) }]);
const settings = oauthSettings({
  issuer: 'https://gateway.portico.test',
  audience: 'https://api.portico.test',
});

describeEachStore('OAuth secrets at rest', (store) => {
  test('no client secret and no issuer private key is stored in the clear', async () => {
    const database = await store.open<KeysTables>('oauth_at_rest', keysMigrations);
    const clock = manualClock('2026-11-24T09:30:00.000Z');
    const deps: TestDeps = { db: database.db, clock, newId: createIdGenerator(() => clock.now().getTime()) };
    const oauth = createOAuthService({ ...deps, peppers, secretBox, bus: memoryInvalidationBus(), settings });

    const secrets: string[] = [];
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const tenant = await signUp(deps);
      const app = await testApp(deps, tenant);
      const scope = { partnerId: tenant.partner.id };
      const created = await createOAuthClientWithSecret(
        deps,
        peppers,
        scope,
        app.id,
        { name: `c${i}` },
        tenant.as,
      );
      const rotated = await rotateOAuthClientSecretWithNew(
        deps,
        peppers,
        scope,
        app.id,
        created.oauthClient.id,
        { overlapSeconds: 3600 },
        tenant.as,
      );
      secrets.push(created.clientSecret, rotated.clientSecret);
      for (const clientSecret of [created.clientSecret, rotated.clientSecret]) {
        const issuance = await oauth.issueAccessToken({ clientId: created.oauthClient.id, clientSecret });
        if (issuance.outcome !== 'issued') throw new Error(issuance.outcome);
        tokens.push(issuance.response.access_token);
      }
    }
    await oauth.rotateIssuerKey({ algorithm: 'RS256' });
    oauth.close();

    const keyRows = await deps.db.selectFrom('issuer_keys').selectAll().execute();
    expect(keyRows).toHaveLength(2);
    // What must not appear: each private key as PEM body and as its JWK private members.
    const privateParts: string[] = [];
    for (const row of keyRows) {
      expect(row.private_key_ciphertext).toMatch(/^v1:k1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
      const privateKey = openIssuerPrivateKey(secretBox, row.kid, row.private_key_ciphertext);
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
      privateParts.push(pem.split('\n')[1]!);
      const jwk = privateKey.export({ format: 'jwk' });
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
        if (typeof jwk[member] === 'string') privateParts.push(jwk[member]);
      }
    }

    let dump: string;
    if (database.dialect === 'sqlite') {
      const file = database.target.file!;
      // The raw bytes, of the database and of its write-ahead log (recent writes may still be only there).
      dump = [file, `${file}-wal`]
        .filter((f) => fs.existsSync(f))
        .map((f) => fs.readFileSync(f).toString('latin1'))
        .join('\n');
    } else {
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = current_schema()`.execute(
        deps.db,
      );
      expect(tables.rows.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(['oauth_clients', 'issuer_keys']),
      );
      const parts: string[] = [];
      for (const { table_name: table } of tables.rows) {
        const rows = await sql`select * from ${sql.table(table)}`.execute(deps.db);
        parts.push(JSON.stringify(rows.rows));
      }
      dump = parts.join('\n');
    }
    // The dump is real: it holds the rows written above.
    expect(dump).toContain(keyRows[0]!.private_key_ciphertext);
    expect(dump).toContain(keyRows[0]!.kid);

    expect(scanForSecrets(dump)).toEqual([]);
    for (const secret of secrets) expect(dump).not.toContain(secret);
    for (const part of privateParts) expect(dump).not.toContain(part);
    expect(dump).not.toContain('PRIVATE KEY');
    for (const token of tokens) expect(dump).not.toContain(token.split('.')[2]);
  });
});
