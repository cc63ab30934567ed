// What the management API needs, built once by the process that runs it (bin/start.ts) or by a test, and passed in:
// the control-plane store, the secrets, the invalidation bus and the login limiter. No singletons.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../../internal/src/clock';
import type { IdGenerator } from '../../../internal/src/ids';
import type { SpecValidator } from '../../../internal/src/http/spec-validator';
import type { ScryptParams } from '../../../keys/src/domain/password';
import type { SecretBoxRing } from '../../../keys/src/domain/secret-box';
import type { SecretRing } from '../../../keys/src/domain/secret-ring';
import type { InvalidationBus } from '../../../keys/src/events/invalidation';
import type { LastUsedRecorder } from '../../../keys/src/verify/last-used-recorder';
import type { KeysTables } from '../../../keys/src/store/schema';
import type { AttemptLimiter } from './auth/attempt-limiter';
import type { Mailer } from './mail/mailer';

/** Failed sign-ins counted per email address and per client address (LOGIN_RULES). */
export interface LoginLimiters {
  address: AttemptLimiter;
  client: AttemptLimiter;
}

export interface PortalDeps {
  db: Kysely<KeysTables>;
  clock: Clock;
  newId: IdGenerator;
  logger: Logger;
  /** PORTICO_KEY_PEPPERS: keyed digests of every credential, session tokens and CSRF tokens. */
  peppers: SecretRing;
  /** PORTICO_SECRET_KEYS: seals HMAC signing secrets at rest. */
  secretBox: SecretBoxRing;
  /** PORTICO_OPERATOR_TOKEN: the bearer token of the operator operations. */
  operatorToken: string;
  /** Tells every process (gateways) that a credential, an app or a partner changed. */
  invalidations: InvalidationBus;
  /** Records when each personal access token was last used, in batches off the request path. */
  personalTokenUse: LastUsedRecorder;
  /** Sign-in attempts per address and per client (password guessing → 429). */
  loginLimiters: LoginLimiters;
  /** Sends invitation emails (an outbox directory on the embedded defaults). */
  mailer: Mailer;
  /** Where people open the portal UI, for links in emails, e.g. http://127.0.0.1:3000. */
  publicUrl: string;
  /**
   * Origins allowed to send sign-up, sign-in and invitation acceptance (login CSRF). The portal's own origin (the
   * request's Host) is always allowed; list others when the UI is served from another origin.
   */
  trustedOrigins: readonly string[];
  /**
   * Express's `trust proxy`: whom to believe about the client's address and protocol (X-Forwarded-*). false when
   * clients connect directly; e.g. 'loopback' or 1 behind one reverse proxy.
   */
  trustProxy: boolean | number | string;
  /** Set the session cookie's Secure attribute even over plain HTTP (behind a TLS-terminating proxy). */
  secureCookies: boolean;
  /** Password hashing cost; tests lower it (the default costs ~100 ms of CPU per hash, on purpose). */
  scrypt?: ScryptParams | undefined;
  problemBaseUrl: string;
  maxBodyBytes: number;
  validateResponses: boolean;
  specValidator?: SpecValidator | undefined;
}
