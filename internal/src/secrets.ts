// Resolves the server-side secrets (credential pepper ring, encryption key ring, operator token). Configuration
// wins; on the embedded defaults they are generated once and kept in <dataDir>/secrets.json (mode 0600) so that
// `npm start` needs no setup and a restart keeps every key valid. With DATABASE_URL they must be configured: several
// processes share the store and must share these secrets too.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, type Config, type SecretRing } from './config';

export interface ServerSecrets {
  keyPeppers: SecretRing;
  secretKeys: SecretRing;
  operatorToken: string;
  /** Where generated secrets are kept, when any were generated. */
  generatedFile: string | undefined;
}

interface StoredSecrets {
  keyPeppers: Array<{ id: string; secret: string }>;
  secretKeys: Array<{ id: string; secret: string }>;
  operatorToken: string;
}

export const LOCAL_SECRETS_FILE = 'secrets.json';

export function resolveSecrets(config: Config): ServerSecrets {
  if (config.keyPeppers && config.secretKeys && config.operatorToken) {
    return {
      keyPeppers: config.keyPeppers,
      secretKeys: config.secretKeys,
      operatorToken: config.operatorToken,
      generatedFile: undefined,
    };
  }
  if (config.databaseUrl) {
    const missing = [
      config.keyPeppers ? undefined : 'PORTICO_KEY_PEPPERS',
      config.secretKeys ? undefined : 'PORTICO_SECRET_KEYS',
      config.operatorToken ? undefined : 'PORTICO_OPERATOR_TOKEN',
    ].filter(Boolean);
    throw new ConfigError(
      `With DATABASE_URL set, ${missing.join(', ')} must be set too (every process must share them). ` +
        `Generate values with: node -e "console.log('k1:' + require('crypto').randomBytes(32).toString('base64url'))"`,
    );
  }
  const file = path.join(config.dataDir, LOCAL_SECRETS_FILE);
  const stored = readOrCreate(file);
  const ring = (entries: StoredSecrets['keyPeppers']): SecretRing =>
    Object.freeze(
      entries.map((e) => Object.freeze({ id: e.id, secret: Buffer.from(e.secret, 'base64url') })),
    );
  return {
    keyPeppers: config.keyPeppers ?? ring(stored.keyPeppers),
    secretKeys: config.secretKeys ?? ring(stored.secretKeys),
    operatorToken: config.operatorToken ?? stored.operatorToken,
    generatedFile: file,
  };
}

function readOrCreate(file: string): StoredSecrets {
  if (fs.existsSync(file)) {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredSecrets;
    if (!parsed.keyPeppers?.length || !parsed.secretKeys?.length || !parsed.operatorToken) {
      throw new ConfigError(
        `${file} is incomplete; restore it from a backup (keys issued under it depend on it).`,
      );
    }
    return parsed;
  }
  const fresh: StoredSecrets = {
    keyPeppers: [{ id: 'p1', secret: randomBytes(32).toString('base64url') }],
    secretKeys: [{ id: 'k1', secret: randomBytes(32).toString('base64url') }],
    operatorToken: `pto_${randomBytes(32).toString('base64url')}`,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // 'wx' fails if another process created the file meanwhile; then use that one.
  try {
    fs.writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreate(file);
    throw error;
  }
  return fresh;
}
