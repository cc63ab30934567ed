// What a backend service exposes to the processes that run it (the platform launcher, its own main.ts and tests):
// a name, its migrations, an app factory and an optional demo-data seeder.
import type { Express } from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { IdGenerator } from '../ids';
import type { SpecValidator } from '../http/spec-validator';
import type { IdentityVerifier } from '../identity/identity-verifier';
import type { Migrations } from '../store/migrate';
import type { TenantScope } from '../store/query-helpers';

/** Everything a service app needs, built once by main.ts (or a test) and passed in. */
export interface ServiceDeps<Tables> {
  db: Kysely<Tables>;
  clock: Clock;
  newId: IdGenerator;
  logger: Logger;
  /**
   * Checks the gateway's identity assertion (X-Portico-Identity): createIdentityVerifier with the gateway's public
   * keys and this service's name as the audience, so an assertion made for another backend is refused here.
   */
  identityVerifier: IdentityVerifier;
  problemBaseUrl: string;
  maxBodyBytes: number;
  validateResponses: boolean;
  /** A spec validator to reuse (tests share one per spec, so routes compile once per process). */
  specValidator?: SpecValidator | undefined;
}

/** Ids created by the seeders, passed along so later services can refer to earlier ones' records. */
export type DemoRefs = Record<string, string>;

export type SeedDeps<Tables> = Pick<ServiceDeps<Tables>, 'db' | 'clock' | 'newId'>;

export interface ServiceModule<Tables> {
  /** Short name: the SQLite file name, the PostgreSQL schema suffix and the log name. */
  name: 'crm' | 'orders' | 'entitlements';
  title: string;
  /** The path prefix the service answers under (the spec's server path), e.g. /crm/v1. */
  basePath: string;
  /** A list path below basePath that shows the seeded demo data (for the start-up banner and smoke tests). */
  demoPath: string;
  migrations: Migrations;
  createApp(deps: ServiceDeps<Tables>): Express;
  seedDemo?(deps: SeedDeps<Tables>, scope: TenantScope, refs: DemoRefs): Promise<DemoRefs>;
}

/** The ServiceAppOptions that come straight from a service's deps (everything but spec, handlers and identity). */
export function appOptionsFrom<Tables>(deps: ServiceDeps<Tables>) {
  return {
    logger: deps.logger,
    newId: deps.newId,
    problemBaseUrl: deps.problemBaseUrl,
    maxBodyBytes: deps.maxBodyBytes,
    validateResponses: deps.validateResponses,
    specValidator: deps.specValidator,
  };
}
