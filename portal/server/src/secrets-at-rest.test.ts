// Secrets are shown once and never stored in clear: after the management API creates, rolls and rotates API keys,
// OAuth client secrets, HMAC signing secrets, personal tokens, invitations and sessions, the raw bytes of the SQLite
// file (and its WAL) and a pg_dump of the PostgreSQL schema hold none of them, nor anything shaped like one.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { scanForSecrets } from '../../../keys/src/domain/secret-scan';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { loadConfig } from '../../../internal/src/config';
import { startTestPortal, type TestPortal } from './testing/portal-harness';
import { invitationTokenTo, joinAs, personalToken } from './testing/members';

describeEachStore('secrets at rest, through the management API', (store) => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal(store);
  });
  afterAll(() => portal.close());

  async function rawStore(): Promise<string> {
    const target = portal.database.target;
    if (target.dialect === 'sqlite') {
      // Checkpoint nothing on purpose: the WAL holds the newest pages, so read it as well as the main file.
      return [target.file!, `${target.file}-wal`]
        .filter((file) => fs.existsSync(file))
        .map((file) => fs.readFileSync(file).toString('latin1'))
        .join('\n');
    }
    const url = new URL(loadConfig().databaseUrl!);
    return execFileSync(
      'pg_dump',
      ['--no-owner', '--data-only', '--schema', portal.database.schema!, '--dbname', url.toString()],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
  }

  test('no full key, client secret, signing secret, token or session is in the stored bytes', async () => {
    const secrets: string[] = [];
    for (let tenant = 0; tenant < 2; tenant += 1) {
      const owner = await portal.signUp();
      secrets.push(owner.cookie.split('=')[1]!, owner.csrfToken);
      const developer = await joinAs(portal, owner, 'developer');
      secrets.push(invitationTokenTo(portal, developer.member.email));
      secrets.push((await personalToken(owner, ['platform:read', 'platform:write'])).token);
      for (const environment of ['test', 'live'] as const) {
        const app = await owner.client.call('createApp', {
          body: { name: `Clinic ${environment}`, environment, scopes: ['crm:read', 'orders:read'] },
        });
        expect(app.status).toBe(201);
        if (environment === 'live') {
          expect(
            (await portal.operator.call('operatorApproveApp', { params: { appId: app.body.id }, body: {} }))
              .status,
          ).toBe(200);
        }
        const params = { appId: app.body.id };
        const key = await owner.client.call('createApiKey', { params, body: { name: 'server' } });
        secrets.push(key.body.key);
        const rolled = await owner.client.call('rollApiKey', {
          params: { ...params, apiKeyId: key.body.apiKey.id },
          body: { overlapSeconds: 3600 },
        });
        secrets.push(rolled.body.key);
        const client = await owner.client.call('createOAuthClient', { params, body: { name: 'worker' } });
        secrets.push(client.body.clientSecret);
        const rotated = await owner.client.call('rotateOAuthClientSecret', {
          params: { ...params, oauthClientId: client.body.oauthClient.id },
          body: { overlapSeconds: 0 },
        });
        secrets.push(rotated.body.clientSecret);
        const signing = await owner.client.call('createSigningKey', {
          params,
          body: { algorithm: 'hmac-sha256', name: 'back office' },
        });
        secrets.push(signing.body.secret);
      }
    }
    expect(secrets.every((s) => typeof s === 'string' && s.length >= 40)).toBe(true);
    // Session tokens and CSRF tokens are bare base64url; every other secret has its Portico prefix.
    expect(new Set(secrets.filter((s) => s.startsWith('pt')).map((s) => s.slice(0, 4)))).toEqual(
      new Set(['ptp_', 'pti_', 'ptc_', 'pto_', 'pts_']),
    );

    const raw = await rawStore();
    expect(raw.length).toBeGreaterThan(10_000);
    const found = secrets.filter((secret) => raw.includes(secret));
    expect(found).toEqual([]);
    expect(scanForSecrets(raw)).toEqual([]);
  });
});
