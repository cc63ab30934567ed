// The whole platform for the SDK's end-to-end tests, wired as `npm start` wires it (bin/start.ts): the backends, the
// gateway and the management API on one control plane, in this process on port 0 — SQLite, or PostgreSQL and
// Redis for the variants that have them (describeEachVariant says which run and why the others are skipped).
import { createLogger } from '../../../../internal/src/logger';
import { startTestPlatform } from '../../../../gateway/src/testing/test-platform';
import type { PlatformVariant } from '../../../../gateway/src/e2e/testing/platform-variants';
import { startPortal } from '../../../../portal/server/src/portal-process';

export {
  describeEachVariant,
  type PlatformVariant,
} from '../../../../gateway/src/e2e/testing/platform-variants';

export interface RunningPlatform {
  /** The gateway's origin: the SDK's `createPortico({ baseUrl })`. */
  gatewayUrl: string;
  /** The management API's origin: the SDK's `createPlatform({ baseUrl })` (the spec's server adds /api/v1). */
  portalUrl: string;
  stop(): Promise<void>;
}

export async function startPlatform(variant: PlatformVariant): Promise<RunningPlatform> {
  const platform = await startTestPlatform({
    dialect: variant.dialect,
    ...(variant.redisUrl ? { redisUrl: variant.redisUrl } : {}),
    env: { PORTICO_PORTAL_PORT: '0' },
  });
  try {
    const portal = await startPortal({
      config: platform.config,
      logger: createLogger({ level: platform.config.testLogLevel, name: 'test-portal' }),
      controlPlane: platform.controlPlane,
    });
    return {
      gatewayUrl: platform.gatewayUrl,
      portalUrl: new URL(portal.apiUrl).origin,
      // The portal first: the control plane it shares is closed with the platform.
      stop: async () => {
        await portal.stop();
        await platform.stop();
      },
    };
  } catch (error) {
    await platform.stop();
    throw error;
  }
}
