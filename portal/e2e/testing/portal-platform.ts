// The whole platform as `npm start` runs it — backends, gateway, portal with its built UI — in this process on
// port 0, with one manual clock for every part, so a test can move time past a key's overlap without waiting.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { manualClock, type ManualClock } from '../../../internal/src/clock';
import { createLogger } from '../../../internal/src/logger';
import { startTestPlatform } from '../../../gateway/src/testing/test-platform';
import type { PlatformVariant } from '../../../gateway/src/e2e/testing/platform-variants';
import { startPortal } from '../../server/src/portal-process';
import { buildPortalWeb } from '../../server/src/web/build-web';

export interface PortalPlatform {
  portalUrl: string;
  /** The installation's operator token (approves live apps). */
  operatorToken: string;
  /** Where the portal writes its emails (.eml files), as on the embedded defaults. */
  outboxDir: string;
  gatewayUrl: string;
  clock: ManualClock;
  stop(): Promise<void>;
}

let built: Promise<string> | undefined;
/** Builds the UI once per test process, into a directory of its own. */
export function builtWebRoot(): Promise<string> {
  built ??= buildPortalWeb(fs.mkdtempSync(path.join(os.tmpdir(), 'portico-web-')));
  return built;
}

export async function startPortalPlatform(variant: PlatformVariant): Promise<PortalPlatform> {
  const webRoot = await builtWebRoot();
  // Real time to start with, so the UI's "last 24 hours" (browser time) covers what the platform records.
  const clock = manualClock(new Date());
  // The portal's address must be known before the gateway starts: it is the origin the gateway's CORS allows
  // (the docs' try-it), as on a real installation.
  const portalPort = await freePort();
  const platform = await startTestPlatform({
    dialect: variant.dialect,
    ...(variant.redisUrl ? { redisUrl: variant.redisUrl } : {}),
    clock,
    env: {
      PORTICO_PORTAL_PORT: String(portalPort),
      PORTICO_PORTAL_PUBLIC_URL: `http://127.0.0.1:${portalPort}`,
    },
  });
  try {
    const config = {
      ...platform.config,
      gateway: { ...platform.config.gateway, publicUrl: platform.gatewayUrl },
    };
    const portal = await startPortal({
      config,
      logger: createLogger({ level: platform.config.testLogLevel, name: 'test-portal' }),
      controlPlane: platform.controlPlane,
      clock,
      webRoot,
    });
    return {
      portalUrl: portal.url,
      outboxDir: path.join(config.dataDir, 'outbox'),
      operatorToken: platform.controlPlane.secrets.operatorToken,
      gatewayUrl: platform.gatewayUrl,
      clock,
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

/** A port nobody listens on right now (the kernel's choice for port 0, released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
