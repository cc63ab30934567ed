// The CRM reference backend in a process of its own, for bench/gateway/main.ts: configured by the environment the
// parent gives it (PORTICO_DATA_DIR, PORTICO_CRM_PORT=0), it verifies the gateway's identity assertions with the keys
// of that data dir and tells the parent its origin. Its log goes where the parent sent stdout (a file).
import { loadConfig } from '../../internal/src/config';
import { createLogger } from '../../internal/src/logger';
import { runServices } from '../../internal/src/service/run-services';
import { crmService } from '../../backends/crm/src/service';
import { serveParent } from './bench-child';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'bench-backend' });
  const platform = await runServices([crmService], { config, logger });
  serveParent(new URL(platform.services[0]!.url).origin, () => platform.stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
