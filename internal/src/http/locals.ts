// The per-request state every Portico service declares once (STYLE.md: typed res.locals, never shared imports).
import type { Logger } from 'pino';

export type Environment = 'test' | 'live';

/** Who is calling: the partner (tenant) and the environment. Every record is partitioned by both. */
export interface Identity {
  partnerId: string;
  environment: Environment;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      requestId: string;
      log: Logger;
      identity: Identity;
      /** The path the service's API is served under (its spec's server path), e.g. /crm/v1. */
      basePath: string;
    }
  }
}
