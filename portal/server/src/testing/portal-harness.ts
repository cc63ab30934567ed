// Starts the management API for a test exactly as production does — a migrated control-plane store, the app, a
// real server on port 0 — and gives typed callers: anonymous, a signed-in member (cookie + CSRF token), a personal
// token, the operator. Every response is validated against specs/platform; a 5xx fails the test.
import { randomBytes } from 'node:crypto';
import { manualClock, type ManualClock } from '../../../../internal/src/clock';
import { loadConfig } from '../../../../internal/src/config';
import { createIdGenerator } from '../../../../internal/src/ids';
import { createLogger } from '../../../../internal/src/logger';
import { startServer } from '../../../../internal/src/http/start-server';
import { createSpecValidator, type SpecValidator } from '../../../../internal/src/http/spec-validator';
import type { Database } from '../../../../internal/src/store/database';
import {
  ContractClient,
  type CallOptions,
  type ContractResponse,
} from '../../../../internal/src/testing/contract-client';
import { loadSpec, type LoadedSpec } from '../../../../internal/src/testing/spec-contract';
import type { TestStore } from '../../../../internal/src/testing/test-store';
import { TEST_MAX_BODY_BYTES, TEST_PROBLEM_BASE_URL } from '../../../../internal/src/testing/service-harness';
import { createPepperRing } from '../../../../keys/src/domain/key-digest';
import type { ScryptParams } from '../../../../keys/src/domain/password';
import type { RingSecret } from '../../../../keys/src/domain/secret-ring';
import { createSecretBoxRing } from '../../../../keys/src/domain/secret-box';
import {
  memoryInvalidationBus,
  type Invalidation,
  type InvalidationBus,
} from '../../../../keys/src/events/invalidation';
import { touchPersonalTokens } from '../../../../keys/src/store/personal-tokens';
import { createLastUsedRecorder } from '../../../../keys/src/verify/last-used-recorder';
import { keysMigrations } from '../../../../keys/src/store/migrations';
import type { KeysTables } from '../../../../keys/src/store/schema';
import { PLATFORM_SPEC_PATH, createManagementApp } from '../app';
import { LOGIN_RULES, memoryAttemptLimiter } from '../auth/attempt-limiter';
import { SESSION_COOKIE } from '../auth/session-cookie';
import type { PortalDeps } from '../deps';
import { memoryMailer, type MailMessage } from '../mail/mailer';

/** Cheap hashing for tests (the production cost is deliberate, ~0.35 s per hash). */
export const TEST_SCRYPT: ScryptParams = Object.freeze({
  N: 2 ** 10,
  r: 8,
  p: 1,
  saltBytes: 16,
  hashBytes: 32,
});
export const TEST_PASSWORD = 'correct horse battery staple 42';

let validator: SpecValidator | undefined;
let spec: LoadedSpec | undefined;
let signUps = 0;

export interface TestPortal {
  baseUrl: string;
  deps: PortalDeps;
  clock: ManualClock;
  database: Database<KeysTables>;
  /** Every email the portal sent (invitations), in order. */
  mail: MailMessage[];
  /** Every invalidation the API published, in order. */
  invalidations: Invalidation[];
  operatorToken: string;
  /** No credential (sign-up, sign-in). */
  anonymous: ContractClient;
  /** The operator token on every call. */
  operator: ContractClient;
  /** Signs up a new partner; its owner's session. */
  signUp(overrides?: { partnerName?: string; email?: string }): Promise<MemberSession>;
  /** Signs in an existing member (password TEST_PASSWORD unless given). */
  login(email: string, password?: string): Promise<MemberSession>;
  /** A client sending `Authorization: Bearer <token>`. */
  withToken(token: string): ContractClient;
  close(): Promise<void>;
}

/** A signed-in member: its session cookie and CSRF token go with every call. */
export interface MemberSession {
  client: ContractClient;
  member: { id: string; email: string; role: string };
  partner: { id: string; name: string; planId: string; status: string };
  cookie: string;
  csrfToken: string;
}

export async function startTestPortal(
  store: TestStore,
  options: {
    name?: string;
    scrypt?: ScryptParams;
    invalidations?: InvalidationBus;
    /** The pepper ring (another process verifying keys must share it). */
    peppers?: RingSecret[];
  } = {},
): Promise<TestPortal> {
  const database = await store.open<KeysTables>(options.name ?? 'keys', keysMigrations);
  const clock = manualClock(new Date().toISOString());
  const operatorToken = randomBytes(32).toString('base64url');
  const bus = options.invalidations ?? memoryInvalidationBus();
  const published: Invalidation[] = [];
  const mailer = memoryMailer();
  bus.subscribe((event) => published.push(event));
  validator ??= createSpecValidator({ specPath: PLATFORM_SPEC_PATH, validateResponses: true });
  spec ??= await loadSpec(PLATFORM_SPEC_PATH);
  const deps: PortalDeps = {
    db: database.db,
    clock,
    newId: createIdGenerator(() => clock.now().getTime()),
    logger: createLogger({ level: loadConfig().testLogLevel }),
    peppers: createPepperRing(options.peppers ?? [{ id: 'p1', secret: randomBytes(32) }]),
    secretBox: createSecretBoxRing([{ id: 's1', secret: randomBytes(32) }]),
    operatorToken,
    invalidations: bus,
    mailer,
    personalTokenUse: createLastUsedRecorder({
      touch: (ids, usedAt) => touchPersonalTokens({ db: database.db }, ids, usedAt),
      clock,
      logger: createLogger({ level: 'silent' }),
      flushIntervalMs: 60_000,
      maxBatch: 1000,
    }),
    publicUrl: 'http://portal.test',
    loginLimiters: {
      address: memoryAttemptLimiter(LOGIN_RULES.address, clock),
      client: memoryAttemptLimiter(LOGIN_RULES.client, clock),
    },
    trustedOrigins: [],
    secureCookies: false,
    trustProxy: false,
    scrypt: options.scrypt ?? TEST_SCRYPT,
    problemBaseUrl: TEST_PROBLEM_BASE_URL,
    maxBodyBytes: TEST_MAX_BODY_BYTES,
    validateResponses: true,
    specValidator: validator,
  };
  const server = await startServer(createManagementApp(deps));
  const anonymous = new ContractClient(spec, server.baseUrl, undefined);
  const withHeaders = (headers: Record<string, string>) => headerClient(anonymous, headers);

  const sessionFrom = (response: ContractResponse): MemberSession => {
    const setCookie = response.headers.get('set-cookie') ?? '';
    const match = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(setCookie);
    if (!match) throw new Error(`no session cookie in ${response.status} ${response.text.slice(0, 300)}`);
    const cookie = `${SESSION_COOKIE}=${match[1]}`;
    const csrfToken = response.body.csrfToken as string;
    return {
      client: withHeaders({ cookie, 'x-csrf-token': csrfToken }),
      member: response.body.member,
      partner: response.body.partner,
      cookie,
      csrfToken,
    };
  };

  return {
    baseUrl: server.baseUrl,
    deps,
    clock,
    database,
    invalidations: published,
    mail: mailer.sent,
    operatorToken,
    anonymous,
    operator: withHeaders({ authorization: `Bearer ${operatorToken}` }),
    async signUp(overrides = {}) {
      signUps += 1;
      const tag = `${process.pid}-${signUps}-${randomBytes(3).toString('hex')}`;
      const response = await anonymous.call('signUp', {
        body: {
          partnerName: overrides.partnerName ?? `Jade Pharmacy ${tag}`,
          name: 'Li Wei',
          email: overrides.email ?? `li.wei.${tag}@jadepharm.example`,
          password: TEST_PASSWORD,
        },
      });
      if (response.status !== 201) throw new Error(`signUp answered ${response.status}: ${response.text}`);
      return sessionFrom(response);
    },
    async login(email, password = TEST_PASSWORD) {
      const response = await anonymous.call('login', { body: { email, password } });
      if (response.status !== 200) throw new Error(`login answered ${response.status}: ${response.text}`);
      return sessionFrom(response);
    },
    withToken: (token) => withHeaders({ authorization: `Bearer ${token}` }),
    close: async () => {
      await server.close();
      await deps.personalTokenUse.close();
    },
  };
}

/** A ContractClient that adds fixed headers to every call (and shares the coverage record). */
export function headerClient(base: ContractClient, headers: Record<string, string>): ContractClient {
  const client = base.as(undefined);
  const call = client.call.bind(client);
  client.call = <T = any>(operationId: string, options: CallOptions = {}) =>
    call<T>(operationId, { ...options, headers: { ...headers, ...options.headers } });
  return client;
}
