// Runs the gateway in this process: builds every dependency from the configuration (store, Redis, verifiers,
// limits, proxy, signer, meter, metrics), listens, and stops gracefully — stop accepting, drain in-flight requests,
// flush usage, close pools — within the grace period (DESIGN.md: 30 s).
import path from 'node:path';
import { systemClock, type Clock } from '../../internal/src/clock';
import type { Config } from '../../internal/src/config';
import { createIdentitySigner } from '../../internal/src/identity/identity-signer';
import { createIdGenerator } from '../../internal/src/ids';
import type { Logger } from '../../internal/src/logger';
import { connectRedis, type Redis } from '../../internal/src/redis';
import { resolveIdentityKeys } from '../../internal/src/secrets';
import { startServer, type RunningServer } from '../../internal/src/http/start-server';
import { createPepperRing } from '../../keys/src/domain/key-digest';
import type { KeyRecord } from '../../keys/src/domain/key-verdict';
import { createSecretBoxRing } from '../../keys/src/domain/secret-box';
import { createOAuthService } from '../../keys/src/oauth/oauth-service';
import { oauthSettings } from '../../keys/src/oauth/oauth-settings';
import { openControlPlane, type ControlPlane } from '../../keys/src/runtime/control-plane';
import { findApiKeyForVerification } from '../../keys/src/store/api-key-lookup';
import { recordUsage } from '../../keys/src/store/usage';
import { VerificationCache } from '../../keys/src/verify/verification-cache';
import { createApiKeyVerifier } from '../../keys/src/verify/verify-api-key';
import { createAccessLog } from './access-log';
import { createGatewayApp, OWN_ENDPOINTS, type GatewayApp } from './app';
import type { GatewayDeps } from './deps';
import { createGatewayMetrics } from './metrics/gateway-metrics';
import { createJwksEndpoint, createTokenEndpoint } from './oauth';
import { createAuthenticator } from './policies/authenticate/authenticate';
import { clientAddressResolver } from './policies/client-address/client-address';
import { answerClientError } from './client-error';
import { createIdempotency, memoryIdempotencyStore, redisIdempotencyStore } from './policies/idempotency';
import { createLimits } from './policies/limits/limits';
import { planSourceFromStore } from './policies/limits/plan-source';
import { createCredentialUse, createUsageMeter } from './policies/meter';
import { createUpstreamProxy } from './policies/proxy';
import { memoryNonceStore, redisNonceStore } from './policies/signature';
import { createSignatureAuthentication } from './policies/signature/signature-authentication';
import {
  createSpecRequestValidator,
  type SpecRequestValidator,
} from './policies/validate/spec-request-validator';
import { loadRouteTable, PUBLIC_APIS } from './routes';

export const SPECS_DIR = path.resolve(__dirname, '../../specs');

export interface RunningGateway {
  url: string;
  app: GatewayApp;
  deps: GatewayDeps;
  server: RunningServer;
  /** Stops accepting, drains in-flight requests (at most `graceMs`), flushes usage and closes every connection. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

export interface StartGatewayOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** The control plane to use; by default the gateway opens (and later closes) its own. */
  controlPlane?: ControlPlane;
  /** A validator already compiled from the same specs (tests start many gateways in one process). */
  validator?: SpecRequestValidator;
  /** Overrides config.ports.gateway (tests pass 0). */
  port?: number;
  /** Overrides the limits' processCount (how many processes share the limits). */
  processCount?: number;
  /** The `name` of access lines (the process logger's name); default `portico`. */
  accessLogName?: string;
}

export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger.child({ service: 'gateway' });
  const clock = options.clock ?? systemClock;
  const closers: Array<() => Promise<unknown>> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const controlPlane = options.controlPlane ?? (await openControlPlane(config, logger));
    if (!options.controlPlane) closers.push(() => controlPlane.close());
    const { database, invalidations, secrets } = controlPlane;
    const db = database.db;
    const newId = createIdGenerator(() => clock.now().getTime());
    const peppers = createPepperRing(secrets.keyPeppers);
    const secretBox = createSecretBoxRing(secrets.secretKeys);

    let redis: Redis | undefined;
    if (config.redisUrl) {
      redis = await connectRedis({ url: config.redisUrl, name: 'portico-gateway' });
      const connection = redis;
      closers.push(async () => connection.disconnect());
    }

    const routes = loadRouteTable(SPECS_DIR);
    // The operation label is an allowlist: the spec's operations and the gateway's own endpoints (app.ts).
    const metrics = createGatewayMetrics({
      operations: [...routes.operations, ...OWN_ENDPOINTS.map((name) => ({ api: name, operationId: name }))],
    });
    const apiKeyCache = new VerificationCache<KeyRecord | null>({
      clock,
      ttlMs: 60_000,
      negativeTtlMs: 2_000,
      maxEntries: 100_000,
    }).attach(invalidations);
    closers.push(async () => apiKeyCache.close());
    const verifyApiKey = createApiKeyVerifier({
      lookup: (digests) => findApiKeyForVerification({ db }, digests),
      peppers,
      cache: apiKeyCache,
      clock,
    });

    const oauth = createOAuthService({
      db,
      clock,
      newId,
      peppers,
      secretBox,
      bus: invalidations,
      settings: oauthSettings({ issuer: config.gateway.publicUrl, audience: config.gateway.publicUrl }),
      onKeyLoadError: (error) => logger.error({ err: error }, 'loading the OAuth issuer keys failed'),
    });
    closers.push(async () => oauth.close());
    await oauth.ensureIssuerKey();

    const signatures = createSignatureAuthentication({
      db,
      secretBox,
      bus: invalidations,
      nonces: redis
        ? redisNonceStore({
            redis,
            prefix: `${config.redisPrefix}:signature-nonce`,
            timeoutMs: config.gateway.redisTimeoutMs,
          })
        : memoryNonceStore({ clock }),
      clock,
      scheme: config.gateway.publicUrl.startsWith('https:') ? 'https' : 'http',
      onUnusableMaterial: (keyId, reason) =>
        logger.error({ keyId, reason }, 'a stored signing key cannot be used (check PORTICO_SECRET_KEYS)'),
    });
    closers.push(async () => signatures.close());

    const limits = createLimits({
      clock,
      ...(redis ? { storeClient: redis } : {}),
      keyPrefix: `${config.redisPrefix}:limits`,
      processCount: options.processCount ?? config.gateway.workers,
      storeTimeoutMs: config.gateway.redisTimeoutMs,
      rateLimits: { onStoreError: config.gateway.rateLimitsOnRedisError },
      quotas: { onStoreError: config.gateway.quotasOnRedisError },
      preAuth:
        config.gateway.ipRateLimitPerSecond === 0
          ? false
          : { limit: config.gateway.ipRateLimitPerSecond, windowSeconds: 1 },
      onStoreError: (event) => {
        metrics.limiterStoreError({ limiter: event.limiter, policy: event.policy, reason: event.reason });
        logger.warn(
          { limiter: event.limiter, policy: event.policy, reason: event.reason, fallback: event.fallback },
          'limits store error',
        );
      },
    });

    const upstreams = Object.fromEntries(
      PUBLIC_APIS.map((api) => [
        api,
        { origin: config.gateway.upstreams[api], timeoutMs: config.gateway.upstreamTimeoutMs },
      ]),
    );
    const proxy = createUpstreamProxy({
      upstreams,
      clock,
      logger,
      observe: {
        response: (upstream, status, seconds) =>
          metrics.upstreamFinished({ upstream, status, durationSeconds: seconds }),
        failure: (upstream, kind) => metrics.upstreamError({ upstream, kind }),
      },
    });
    closers.push(() => proxy.close());
    metrics.setCircuitStateSource(() =>
      Object.fromEntries(PUBLIC_APIS.map((api) => [api, proxy.circuitState(api)])),
    );

    const [identityKey] = resolveIdentityKeys(config);
    const signIdentity = createIdentitySigner({
      privateKey: identityKey!.privateKey,
      kid: identityKey!.kid,
      clock,
    });

    const meter = createUsageMeter({
      record: (batchId, counts, requests) => recordUsage({ db, clock }, batchId, counts, requests),
      clock,
      logger,
      newId,
      onDropped: (count) => metrics.usageDropped(count),
    });
    closers.push(() => meter.close());
    const credentialUse = createCredentialUse({ db, clock, logger });
    closers.push(() => credentialUse.close());

    const idempotency = createIdempotency({
      store: redis
        ? redisIdempotencyStore({
            redis,
            keyPrefix: `${config.redisPrefix}:idempotency`,
            timeoutMs: config.gateway.redisTimeoutMs,
          })
        : memoryIdempotencyStore({ clock }),
      clock,
      // Longer than any answer can take (the upstream timeout, then up to 30 s between body chunks, with margin); a
      // crashed process's keys free up after it.
      inFlightTtlSeconds: Math.ceil(config.gateway.upstreamTimeoutMs / 1000) + 60,
    });

    const accessLog = createAccessLog({ logger, name: options.accessLogName ?? 'portico' });
    let draining = false;
    const deps: GatewayDeps = {
      routes,
      validator: options.validator ?? (await createSpecRequestValidator(SPECS_DIR, PUBLIC_APIS)),
      authenticate: createAuthenticator({
        verifyApiKey,
        verifyAccessToken: oauth.verifyAccessToken,
        verifySignature: (request) => signatures.verify(request),
      }),
      limits,
      plans: planSourceFromStore({ db }, { clock }),
      proxy,
      signIdentity,
      idempotency,
      meter,
      credentialUse,
      metrics,
      tokenEndpoint: createTokenEndpoint({
        issueAccessToken: oauth.issueAccessToken,
        logger,
        problemBaseUrl: config.problemBaseUrl,
      }),
      jwksEndpoint: createJwksEndpoint({
        currentJwks: () => oauth.currentJwks(),
        logger,
        problemBaseUrl: config.problemBaseUrl,
      }),
      readiness: async () => {
        const checks: Record<string, string> = { draining: draining ? 'yes' : 'no' };
        if (redis) checks.redis = redis.status;
        // Redis away is degraded, not down: the documented per-limiter policies keep serving (DESIGN.md "Limits").
        return { ready: !draining, checks };
      },
      clientAddressOf: clientAddressResolver(config.trustProxy),
      clock,
      logger,
      accessLog,
      newId,
      problemBaseUrl: config.problemBaseUrl,
      maxBodyBytes: config.maxBodyBytes,
      corsOrigins: config.gateway.corsOrigins,
    };

    const app = createGatewayApp(deps);
    const server = await startServer(app, { host: config.host, port: options.port ?? config.ports.gateway });
    server.server.on('clientError', (error: NodeJS.ErrnoException, socket) =>
      answerClientError(error, socket, { newId, problemBaseUrl: config.problemBaseUrl }),
    );

    return {
      url: server.baseUrl,
      app,
      deps,
      server,
      stop: async ({ graceMs = 30_000 } = {}) => {
        draining = true;
        app.beginDrain();
        // Stop accepting; idle keep-alive sockets close now, busy ones after their current response.
        const closed = server.close();
        const deadline = Date.now() + graceMs;
        while (app.inFlight() > 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
          // A keep-alive connection whose request just finished is idle now: close it rather than wait for its timeout.
          server.server.closeIdleConnections();
        }
        server.server.closeIdleConnections();
        if (app.inFlight() > 0) {
          logger.warn({ inFlight: app.inFlight() }, 'grace period over: closing remaining connections');
        }
        // Also a connection that never sent a request: closeIdleConnections() leaves it open until headersTimeout.
        server.server.closeAllConnections();
        await closed.catch(() => undefined);
        accessLog.flush();
        await closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
