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

/** Something the gateway reaches a backend through (a test proxy), told the backend's origin once it listens. */
export interface UpstreamHop {
  /** The origin the gateway is configured with instead of the backend's. */
  url: string;
  /** Called with the backend's origin before startPlatform resolves. */
  setTarget(origin: string): void;
}

export interface PlatformOptions {
  /** Extra PORTICO_* settings for the gateway (and the portal, which shares its configuration), not the backends. */
  env?: Record<string, string>;
  /** The gateway calls the crm backend through this hop. */
  crmVia?: UpstreamHop;
}

export async function startPlatform(
  variant: PlatformVariant,
  options: PlatformOptions = {},
): Promise<RunningPlatform> {
  const platform = await startTestPlatform({
    dialect: variant.dialect,
    ...(variant.redisUrl ? { redisUrl: variant.redisUrl } : {}),
    env: {
      PORTICO_PORTAL_PORT: '0',
      ...options.env,
      ...(options.crmVia ? { PORTICO_CRM_URL: options.crmVia.url } : {}),
    },
  });
  try {
    if (options.crmVia) {
      const crm = platform.backends?.services.find((service) => service.name === 'crm');
      if (!crm) throw new Error('the test platform started no crm backend');
      options.crmVia.setTarget(new URL(crm.url).origin);
    }
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
