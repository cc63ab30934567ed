// Starts a backend for a test exactly as production does — migrated store, the app, a real server on port 0 — and
// hands back a contract client speaking HTTP to it, as the gateway would: every request carries a signed identity
// assertion. Response validation is on, so a reply the spec does not allow becomes a 500 and fails the test.
import type { Express } from 'express';
import { loadConfig } from '../config';
import { systemClock, type Clock } from '../clock';
import { createIdGenerator } from '../ids';
import { createLogger } from '../logger';
import type { Identity } from '../http/locals';
import { startServer } from '../http/start-server';
import { createSpecValidator, type SpecValidator } from '../http/spec-validator';
import type { Migrations } from '../store/migrate';
import type { Database } from '../store/database';
import type { ServiceDeps } from '../service/service-module';

export type { ServiceDeps };
import { ContractClient } from './contract-client';
import { createTestIdentityAssertions, type TestIdentityAssertions } from './identity';
import { loadSpec } from './spec-contract';
import type { TestStore } from './test-store';

export interface TestService<Tables> {
  baseUrl: string;
  client: ContractClient;
  database: Database<Tables>;
  deps: ServiceDeps<Tables>;
  /** The signer the client's assertions come from (the service's clock; audience = the service's name). */
  assertions: TestIdentityAssertions;
  /** Headers carrying a valid assertion of this identity for this service, for requests made without the client. */
  identityHeaders(identity: Identity): Record<string, string>;
  close(): Promise<void>;
}

export const TEST_PROBLEM_BASE_URL = 'https://portico.dev/problems/';
export const TEST_MAX_BODY_BYTES = 64 * 1024;

// One validator per spec for the whole test file: compiling a route's schemas takes ~0.1 s, and suites start many
// services of the same spec.
const validators = new Map<string, SpecValidator>();
function sharedValidator(specPath: string): SpecValidator {
  let validator = validators.get(specPath);
  if (!validator) {
    validator = createSpecValidator({ specPath, validateResponses: true });
    validators.set(specPath, validator);
  }
  return validator;
}

let partnerCounter = 0;
/** A fresh tenant identity, unique within the run. */
export function newTestIdentity(environment: Identity['environment'] = 'test'): Identity {
  partnerCounter += 1;
  return { partnerId: `prt_test${process.pid}x${partnerCounter}`, environment };
}

export async function startTestService<Tables>(
  store: TestStore,
  options: {
    /** The service's name (`crm`, …): its store's name and the audience of the assertions its client sends. */
    service: string;
    specPath: string;
    migrations: Migrations;
    createApp: (deps: ServiceDeps<Tables>) => Express;
    clock?: Clock;
    identity?: Identity;
  },
): Promise<TestService<Tables>> {
  const database = await store.open<Tables>(options.service, options.migrations);
  const clock = options.clock ?? systemClock;
  // Signer and verifier share the service's clock, so a suite that advances it gets assertions valid at its time.
  const assertions = createTestIdentityAssertions({ clock });
  const identityHeaders = (identity: Identity) => assertions.headersFor(identity, options.service);
  const deps: ServiceDeps<Tables> = {
    db: database.db,
    clock,
    newId: createIdGenerator(),
    logger: createLogger({ level: loadConfig().testLogLevel }),
    identityVerifier: assertions.verifierFor(options.service),
    problemBaseUrl: TEST_PROBLEM_BASE_URL,
    maxBodyBytes: TEST_MAX_BODY_BYTES,
    validateResponses: true,
    specValidator: sharedValidator(options.specPath),
  };
  const server = await startServer(options.createApp(deps));
  const spec = await loadSpec(options.specPath);
  return {
    baseUrl: server.baseUrl,
    client: new ContractClient(
      spec,
      server.baseUrl,
      options.identity ?? newTestIdentity(),
      new Set(),
      identityHeaders,
    ),
    database,
    deps,
    assertions,
    identityHeaders,
    close: () => server.close(),
  };
}
