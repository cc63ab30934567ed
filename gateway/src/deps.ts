// Everything the gateway app needs, built by gateway-process.ts (or a test) and passed in: no policy reads config,
// opens a connection or makes a logger of its own (STYLE.md: what aged badly in Express Gateway).
import type { Clock } from '../../internal/src/clock';
import type { IdentitySigner } from '../../internal/src/identity/identity-signer';
import type { Logger } from '../../internal/src/logger';
import type { AccessLog } from './access-log';
import type { Authenticator } from './policies/authenticate/authenticate';
import type { ClientAddressOf } from './policies/client-address/client-address';
import type { Limits } from './policies/limits/limits';
import type { PlanSource } from './policies/limits/plan-source';
import type { UpstreamProxy } from './policies/proxy';
import type { SpecRequestValidator } from './policies/validate/spec-request-validator';
import type { RouteTable } from './routes';
import type { GatewayMetrics } from './metrics/gateway-metrics';
import type { UsageMeter, CredentialUse } from './policies/meter';
import type { Idempotency } from './policies/idempotency';
import type { EndpointRequest, EndpointResponse } from './oauth';

export interface GatewayDeps {
  routes: RouteTable;
  validator: SpecRequestValidator;
  authenticate: Authenticator;
  limits: Limits;
  plans: PlanSource;
  proxy: UpstreamProxy;
  signIdentity: IdentitySigner;
  /** Idempotency-Key for the operations whose spec declares it (RouteOperation.takesIdempotencyKey). */
  idempotency: Idempotency;
  meter: UsageMeter;
  credentialUse: CredentialUse;
  metrics: GatewayMetrics;
  tokenEndpoint(request: EndpointRequest): Promise<EndpointResponse & { outcome: string }>;
  jwksEndpoint(request: EndpointRequest): Promise<EndpointResponse>;
  /** Whether this process should take traffic: false while draining or when a dependency it cannot do without is down. */
  readiness(): Promise<{ ready: boolean; checks: Record<string, string> }>;
  /** The client's address for a request (policies/client-address: the peer unless proxies are trusted). */
  clientAddressOf: ClientAddressOf;
  clock: Clock;
  logger: Logger;
  /** One line per request (access-log.ts). */
  accessLog: AccessLog;
  newId(prefix: string): string;
  problemBaseUrl: string;
  maxBodyBytes: number;
  /** Origins whose browser pages may call the gateway (policies/cors); absent or empty: no CORS headers. */
  corsOrigins?: readonly string[];
}
