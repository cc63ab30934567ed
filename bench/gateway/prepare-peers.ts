// Prepares a run of ../shared/bench/peers.sh with our gateway: a fresh data dir holding a partner on a never-rejecting
// plan, a test app and an API key (keys carry a checksum, so peers.sh cannot make one up). Prints shell exports for
// `eval $(node --import tsx bench/gateway/prepare-peers.ts)`; the rest of the command is in README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../internal/src/config';
import { createLogger } from '../../internal/src/logger';
import { createBenchCaller } from './bench-caller';
import { CREATE_ORDER_BODY, VALID_CUSTOMER_ID } from './requests';

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-peers-'));
  const config = loadConfig({ PORTICO_DATA_DIR: dataDir, PORTICO_SEED_DEMO: 'false' });
  const caller = await createBenchCaller(config, createLogger({ level: 'warn', name: 'prepare-peers' }));
  const exports = {
    KEY: caller.apiKey,
    PORTICO_BENCH_DATA_DIR: dataDir,
    // The upstream of peers.sh answers any /customers/<id>; the gateway first checks the id against the spec.
    GET_PATH: `/crm/v1/customers/${VALID_CUSTOMER_ID}`,
    POST_PATH: '/orders/v1/orders',
    POST_BODY: JSON.stringify(CREATE_ORDER_BODY),
  };
  for (const [name, value] of Object.entries(exports)) console.log(`export ${name}=${shellQuote(value)};`);
  console.error(
    `prepare-peers: partner ${caller.partnerId}, app ${caller.appId}, key ${caller.credentialId}`,
  );
  console.error(`prepare-peers: data dir ${dataDir} (remove it when done)`);
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
