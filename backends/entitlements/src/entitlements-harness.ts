// Starts the entitlements backend for a test on a given store engine, with an injectable clock and identity.
import type { Clock } from '../../../internal/src/clock';
import type { Identity } from '../../../internal/src/http/locals';
import { startTestService } from '../../../internal/src/testing/service-harness';
import type { TestStore } from '../../../internal/src/testing/test-store';
import { createEntitlementsApp, ENTITLEMENTS_SPEC_PATH } from './app';
import { entitlementsMigrations } from './store/migrations';
import type { EntitlementsTables } from './store/schema';

export function startEntitlements(store: TestStore, options: { clock?: Clock; identity?: Identity } = {}) {
  return startTestService<EntitlementsTables>(store, {
    service: 'entitlements',
    specPath: ENTITLEMENTS_SPEC_PATH,
    migrations: entitlementsMigrations,
    createApp: createEntitlementsApp,
    ...options,
  });
}
