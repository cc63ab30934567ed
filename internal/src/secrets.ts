// Resolves the server-side secrets (credential pepper ring, encryption key ring, operator token, identity keys).
// Configuration wins; on the embedded defaults they are generated once and kept in <dataDir>/secrets.json (mode
// 0600) so that `npm start` needs no setup and a restart keeps every key valid. With DATABASE_URL they must be
// configured: several processes share the store and must share these secrets too.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, type Config, type SecretRing } from './config';
import {
  GENERATE_IDENTITY_KEY_COMMAND,
  generateIdentityKey,
  identityKeyFrom,
  type IdentityKeyRing,
} from './identity/identity-keys';

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
  /** Absent in files written before identity assertions existed; resolveIdentityKeys adds them. */
  identityKeys?: StoredIdentityKey[];
}

interface StoredIdentityKey {
  kid: string;
  /** base64url PKCS#8 DER, as in PORTICO_IDENTITY_KEYS. */
  privateKey: string;
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
    identityKeys: [newStoredIdentityKey()],
  };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // 'wx' fails if another process created the file meanwhile; then use that one.
  try {
    fs.writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreate(file);
    throw error;
  }
  return fresh;
}

/**
 * The identity-assertion keys (internal/src/identity): the gateway signs with the first, backends verify with the
 * public halves of all. Apart from resolveSecrets because backends need only these, and a process that never signs
 * or verifies assertions (the portal) must not be made to configure them. Configuration wins; with DATABASE_URL they
 * are required (the gateway and backends may run on different hosts); on the embedded defaults they live in
 * secrets.json, and a file written before they existed gets them added once.
 */
export function resolveIdentityKeys(config: Config): IdentityKeyRing {
  if (config.identityKeys) return config.identityKeys;
  if (config.databaseUrl) {
    throw new ConfigError(
      'With DATABASE_URL set, PORTICO_IDENTITY_KEYS must be set too (the gateway signs identity assertions with ' +
        `it and every backend checks them with it). Generate a value with: ${GENERATE_IDENTITY_KEY_COMMAND}`,
    );
  }
  const file = path.join(config.dataDir, LOCAL_SECRETS_FILE);
  const stored = readOrCreate(file).identityKeys;
  const entries = stored?.length ? stored : addIdentityKeys(file);
  try {
    return Object.freeze(entries.map((entry) => identityKeyFrom(entry.kid, entry.privateKey)));
  } catch (error) {
    throw new ConfigError(`${file} holds a malformed identity key: ${(error as Error).message}.`);
  }
}

function newStoredIdentityKey(): StoredIdentityKey {
  return { kid: 'i1', privateKey: generateIdentityKey('i1').encoded };
}

const LOCK_WAIT_MS = 5_000;
const LOCK_POLL_MS = 25;

/**
 * Adds a generated identity key to an existing secrets.json. Under a lock file, because the gateway and backend
 * processes may start together, and two of them each adding its own key would leave backends refusing the gateway.
 * The file is replaced by a rename, so a reader never sees half of it.
 */
function addIdentityKeys(file: string): StoredIdentityKey[] {
  const lock = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lock, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() > deadline) {
        throw new ConfigError(
          `${lock} exists: another process is updating ${file}, or one stopped while doing so. ` +
            'Remove the lock file if no Portico process is starting.',
        );
      }
      // Start-up only, once per data directory: a synchronous wait keeps resolveIdentityKeys synchronous.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, LOCK_POLL_MS);
    }
  }
  try {
    const current = readOrCreate(file);
    if (current.identityKeys?.length) return current.identityKeys;
    const identityKeys = [newStoredIdentityKey()];
    const updated: StoredSecrets = { ...current, identityKeys };
    const temporary = `${file}.${process.pid}.tmp`;
    fs.rmSync(temporary, { force: true });
    fs.writeFileSync(temporary, `${JSON.stringify(updated, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    fs.renameSync(temporary, file);
    return identityKeys;
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
