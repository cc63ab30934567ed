// The verifier's in-process copy of the issuer's published keys, so that verifying a token never touches the
// database for a known kid. It reloads: on first use; when it is older than keySetMaxAgeSeconds; when the
// invalidation bus says the keys changed (a rotation in any process); and on an unknown kid — but at most once per
// unknownKidRefreshSeconds, so a stream of tokens with made-up kids cannot turn into a stream of queries.
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../../internal/src/clock';
import type { Invalidation, InvalidationBus } from '../events/invalidation';
import type { PublishedIssuerKey } from '../store/issuer-keys';
import { verificationKeyFromJwk, type PublicIssuerJwk } from './issuer-key-material';
import type { IssuerAlgorithm, OAuthSettings } from './oauth-settings';

/** The pseudo-credential id of "the issuer's keys changed" on the invalidation bus. */
export const ISSUER_KEYS_CREDENTIAL_ID = 'issuer_keys';

export const ISSUER_KEYS_INVALIDATION: Invalidation = Object.freeze({
  type: 'credential',
  credentialId: ISSUER_KEYS_CREDENTIAL_ID,
});

export interface VerificationKey {
  readonly kid: string;
  readonly algorithm: IssuerAlgorithm;
  readonly key: KeyObject;
  readonly jwk: PublicIssuerJwk;
  /** Null while current; a retiring key is not used past this instant. */
  readonly publishUntilMs: number | null;
}

export interface PublishedKeySetDeps {
  /** keys/src/store/issuer-keys.ts listPublishedIssuerKeys, bound to the store. */
  load: (now: string) => Promise<PublishedIssuerKey[]>;
  clock: Clock;
  settings: Pick<OAuthSettings, 'unknownKidRefreshSeconds' | 'keySetMaxAgeSeconds'>;
  /** Told when a reload fails while older keys are still in use (the gateway logs it). */
  onLoadError?: (error: unknown) => void;
}

export class PublishedKeySet {
  private keys = new Map<string, VerificationKey>();
  /** When the last load was attempted, successful or not; null before the first. */
  private attemptedAtMs: number | null = null;
  private loadedAtMs: number | null = null;
  private lastAttemptFailed = false;
  private stale = true;
  private loading: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  /** How many times the store was read: tests assert on it, metrics may export it. */
  loads = 0;

  constructor(private readonly deps: PublishedKeySetDeps) {}

  /** Listens to `bus` until `close()`: a rotation anywhere makes the next lookup reload. */
  attach(bus: InvalidationBus): this {
    this.unsubscribe?.();
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type === 'all' || event.credentialId === ISSUER_KEYS_CREDENTIAL_ID) this.stale = true;
    });
    return this;
  }

  /** The key `kid` names if it is published now, reloading at most as the header describes. */
  async keyFor(kid: string): Promise<VerificationKey | undefined> {
    await this.refreshIfDue();
    let key = this.usable(kid);
    if (
      key === undefined &&
      this.since(this.attemptedAtMs) >= this.deps.settings.unknownKidRefreshSeconds * 1000
    ) {
      await this.reload();
      key = this.usable(kid);
    }
    return key;
  }

  /** The JWK Set (RFC 7517 §5) to publish at /.well-known/jwks.json: public members only. */
  async jwks(): Promise<{ keys: PublicIssuerJwk[] }> {
    await this.refreshIfDue();
    const now = this.nowMs();
    return {
      keys: [...this.keys.values()]
        .filter((k) => k.publishUntilMs === null || k.publishUntilMs > now)
        .map((k) => k.jwk),
    };
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private usable(kid: string): VerificationKey | undefined {
    const key = this.keys.get(kid);
    if (key === undefined) return undefined;
    return key.publishUntilMs === null || key.publishUntilMs > this.nowMs() ? key : undefined;
  }

  private async refreshIfDue(): Promise<void> {
    const { keySetMaxAgeSeconds, unknownKidRefreshSeconds } = this.deps.settings;
    if (this.loadedAtMs === null) return this.reload();
    if (!this.stale && this.since(this.loadedAtMs) < keySetMaxAgeSeconds * 1000) return;
    // After a failed load, keep the known keys and retry no more often than for unknown kids.
    if (this.lastAttemptFailed && this.since(this.attemptedAtMs) < unknownKidRefreshSeconds * 1000) return;
    return this.reload();
  }

  /**
   * Concurrent callers share one load (single flight). A failed load keeps the keys already known (the store being
   * down must not stop verification of valid tokens) and is retried later; with no keys known yet it throws.
   */
  private reload(): Promise<void> {
    this.loading ??= (async () => {
      const now = this.deps.clock.now();
      this.attemptedAtMs = now.getTime();
      try {
        const published = await this.deps.load(now.toISOString());
        this.loads += 1;
        const next = new Map<string, VerificationKey>();
        for (const key of published) {
          next.set(key.kid, {
            kid: key.kid,
            algorithm: key.algorithm,
            key: this.keys.get(key.kid)?.key ?? verificationKeyFromJwk(key.publicJwk),
            jwk: key.publicJwk,
            publishUntilMs: key.publishUntil === null ? null : Date.parse(key.publishUntil),
          });
        }
        this.keys = next;
        this.loadedAtMs = now.getTime();
        this.stale = false;
        this.lastAttemptFailed = false;
      } catch (error) {
        this.lastAttemptFailed = true;
        this.deps.onLoadError?.(error);
        if (this.loadedAtMs === null) throw error;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  private since(ms: number | null): number {
    return ms === null ? Number.POSITIVE_INFINITY : this.nowMs() - ms;
  }

  private nowMs(): number {
    return this.deps.clock.now().getTime();
  }
}
