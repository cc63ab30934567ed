// The control plane's tables as Kysely sees them: partners and their people, plans, apps and every credential.
// Portable types only (STACK.md pitfall 9): text ids and ISO timestamps, integers, booleans as 0/1, JSON as text.
// Every tenant table carries partner_id. Secrets never appear here: only keyed digests, or ciphertext for the
// secrets a verifier must read back (HMAC signing secrets, the token issuer's private keys).

/** What the apps of a partner on this plan may use. Installation-wide, not a tenant table. */
export interface PlansTable {
  id: string;
  /** A stable short name (`free`, `pro`); configuration names the sign-up default by it. */
  code: string;
  name: string;
  description: string;
  /** 0 or 1: offered to every partner, or private (visible only to the partners on it). */
  offered: number;
  /** JSON `[{ name, limit, windowSeconds }]`: per-app request rates (the RateLimit-Policy items). */
  rate_limits: string;
  /** JSON `[{ name, limit, period: 'day' | 'month' }]`: per-app allowances per UTC calendar period. */
  quotas: string;
  /** JSON array of API names (`crm`, `orders`, `entitlements`). */
  apis: string;
  /** JSON array of scopes (`crm:read` …) an app on this plan may hold. */
  scopes: string;
  created_at: string;
  updated_at: string;
}

export interface PartnersTable {
  id: string;
  name: string;
  website: string | null;
  contact_email: string;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
  /** `active` | `suspended`. */
  status: string;
  status_reason: string | null;
  plan_id: string;
  created_at: string;
  updated_at: string;
}

/** A person of a partner; an invitation is a member in status `invited` with a pending token. */
export interface MembersTable {
  id: string;
  partner_id: string;
  /** As the person typed it. */
  email: string;
  /** Lower-cased: unique across the installation, since an address belongs to at most one member. */
  email_normalized: string;
  /** Null until an invitation is accepted. */
  name: string | null;
  /** `owner` | `admin` | `developer` | `viewer`. */
  role: string;
  /** `invited` | `active`. */
  status: string;
  /** scrypt hash in PHC-like text form; null until an invitation is accepted. */
  password_hash: string | null;
  /** Keyed digest of the single-use `pti_` invitation token; null once accepted. */
  invitation_digest: string | null;
  invitation_expires_at: string | null;
  invited_by: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * A signed-in browser. The cookie's token is never stored, only its keyed digest. The CSRF token is not stored
 * either: it is derived from the session token with a keyed hash, so `getSession` can give it back after a reload.
 */
export interface SessionsTable {
  id: string;
  partner_id: string;
  member_id: string;
  token_digest: string;
  /** Ends after 12 hours without use (each use moves it), and never after absolute_expires_at. */
  expires_at: string;
  absolute_expires_at: string;
  ip: string | null;
  user_agent: string | null;
  last_used_at: string;
  created_at: string;
}

export interface PersonalTokensTable {
  id: string;
  partner_id: string;
  member_id: string;
  name: string;
  digest: string;
  /** Which configured pepper made the digest, so peppers can rotate. */
  pepper_id: string;
  prefix: string;
  last4: string;
  /** JSON array of `platform:read` / `platform:write`. */
  scopes: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

export interface AppsTable {
  id: string;
  partner_id: string;
  name: string;
  description: string | null;
  /** `test` | `live`; never changes. */
  environment: string;
  /** `pending_approval` | `active` | `rejected`. */
  status: string;
  status_reason: string | null;
  reviewed_at: string | null;
  /** JSON array of scopes; a credential's effective scopes are its own ∩ these ∩ its plan's. */
  scopes: string;
  /** JSON object of string values. */
  metadata: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** Set by deleteApp: the row stays for usage and audit history, and its credentials stop working. */
  deleted_at: string | null;
}

export interface ApiKeysTable {
  id: string;
  partner_id: string;
  app_id: string;
  environment: string;
  name: string;
  /** HMAC-SHA256 of the full key under the pepper `pepper_id`, hex; unique, the gateway's lookup. */
  digest: string;
  pepper_id: string;
  /** e.g. `ptc_test_4eC3`. */
  prefix: string;
  last4: string;
  /** JSON array of scopes. */
  scopes: string;
  expires_at: string | null;
  revoked_at: string | null;
  rolled_from_id: string | null;
  replaced_by_id: string | null;
  last_used_at: string | null;
  created_by: string | null;
  created_at: string;
}

/** A client-credentials client (RFC 6749 §4.4); its id is the `client_id`. */
export interface OAuthClientsTable {
  id: string;
  partner_id: string;
  app_id: string;
  environment: string;
  name: string;
  scopes: string;
  access_token_ttl_seconds: number;
  secret_digest: string;
  secret_pepper_id: string;
  secret_last4: string;
  secret_rotated_at: string | null;
  /** The secret before the last rotation, valid until previous_secret_expires_at (at most two at a time). */
  previous_secret_digest: string | null;
  previous_secret_pepper_id: string | null;
  previous_secret_expires_at: string | null;
  last_used_at: string | null;
  created_by: string | null;
  created_at: string;
}

/** An app's key for HTTP Message Signatures (RFC 9421); its id is the `keyid`. */
export interface SigningKeysTable {
  id: string;
  partner_id: string;
  app_id: string;
  environment: string;
  name: string;
  /** `hmac-sha256` | `ed25519`. */
  algorithm: string;
  /** `active` | `revoked`. */
  status: string;
  /** HMAC only: the secret encrypted at rest (the verifier needs it back), and the id of the key that did it. */
  secret_ciphertext: string | null;
  encryption_key_id: string | null;
  secret_last4: string | null;
  /** Ed25519 only: the registered public JWK (`kty`, `crv`, `x`) as JSON, and its RFC 7638 thumbprint. */
  public_key_jwk: string | null;
  thumbprint: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  created_by: string | null;
  created_at: string;
}

/**
 * The OAuth token issuer's signing keys (installation-wide). One is `current` (signs new tokens); a `retiring` key
 * signs nothing but stays in the JWKS until `publish_until`, when every token it signed has expired.
 */
export interface IssuerKeysTable {
  /** The JWT `kid`. */
  kid: string;
  /** `RS256` | `ES256`. */
  algorithm: string;
  /** `current` | `retiring` | `retired`. */
  status: string;
  /** JSON public JWK, as published at /.well-known/jwks.json. */
  public_jwk: string;
  /** The PKCS#8 private key encrypted at rest, and the id of the configured key that encrypted it. */
  private_key_ciphertext: string;
  encryption_key_id: string;
  created_at: string;
  retired_at: string | null;
  /** Null while current; then when the key may leave the JWKS. */
  publish_until: string | null;
}

/**
 * Request counts per app, UTC hour, credential and outcome, upserted in batches by the gateway's meter (migration
 * 0005 replaced the daily table with this one). Latency is kept as a sum (for averages) and as a fixed histogram of
 * per-bucket counts, which add up under any grouping so that percentiles can be estimated for any rows.
 */
export interface UsageHourlyTable {
  partner_id: string;
  app_id: string;
  environment: string;
  /** UTC hour start, `YYYY-MM-DDTHH:00:00.000Z` (sorts as text; its first 10 characters are the day). */
  hour: string;
  /** The API key, OAuth client or signing key; '' for counts metered before credentials were recorded. */
  credential_id: string;
  api: string;
  operation_id: string;
  /** The HTTP status the caller received. */
  status: number;
  count: number;
  /** Sum of the gateway latencies, so averages can be computed for any grouping. */
  latency_ms_total: number;
  /** Requests per latency bucket (not cumulative): ≤ 5 ms, (5, 10], … (5000, 10000], over 10000. */
  latency_le_5: number;
  latency_le_10: number;
  latency_le_25: number;
  latency_le_50: number;
  latency_le_100: number;
  latency_le_250: number;
  latency_le_500: number;
  latency_le_1000: number;
  latency_le_2500: number;
  latency_le_5000: number;
  latency_le_10000: number;
  latency_le_inf: number;
}

/** One metered request, written with its batch's counts and pruned after the retention period. */
export interface RequestLogTable {
  /** The gateway's request id (`req_…`, time-ordered): the cursor order of the log. */
  id: string;
  partner_id: string;
  app_id: string;
  credential_id: string;
  environment: string;
  api: string;
  operation_id: string;
  method: string;
  /** Without the query string. */
  path: string;
  status: number;
  latency_ms: number;
  started_at: string;
  finished_at: string;
}

/** Batches already counted: a retried batch is recognised by its id and counted once. */
export interface UsageBatchesTable {
  id: string;
  applied_at: string;
}

/** Append-only (the database refuses UPDATE and DELETE): who changed what, and when. Secrets never appear. */
export interface AuditEventsTable {
  id: string;
  partner_id: string;
  occurred_at: string;
  action: string;
  /** `member` | `operator` | `system`. */
  actor_type: string;
  actor_member_id: string | null;
  /** The member's email at the time of the event. */
  actor_email: string | null;
  actor_personal_token_id: string | null;
  target_type: string;
  target_id: string;
  app_id: string | null;
  environment: string | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  /** JSON object of facts about the change. */
  details: string;
}

export interface KeysTables {
  plans: PlansTable;
  partners: PartnersTable;
  members: MembersTable;
  sessions: SessionsTable;
  personal_tokens: PersonalTokensTable;
  apps: AppsTable;
  api_keys: ApiKeysTable;
  oauth_clients: OAuthClientsTable;
  signing_keys: SigningKeysTable;
  issuer_keys: IssuerKeysTable;
  usage_hourly: UsageHourlyTable;
  request_log: RequestLogTable;
  usage_batches: UsageBatchesTable;
  audit_events: AuditEventsTable;
}
