// The quick start: a first program against Portico with the TypeScript SDK — list customers, create one, place and
// pay an order for it, and handle an error. Run it with `npm run example:quickstart` while `npm start` runs.
import fs from 'node:fs';
import path from 'node:path';
// The error classes main() tells apart to say what to do; the quick start itself needs only the line below.
import { ConnectionError, PorticoError } from '@portico/sdk';
// #region quickstart (docs/getting-started.md shows this part; a test keeps the two the same)
import { createPortico, ProblemError, unwrap } from '@portico/sdk';

async function quickStart(gatewayUrl: string, apiKey: string): Promise<void> {
  const portico = createPortico({ baseUrl: gatewayUrl, apiKey });

  // 1. Read. `unwrap` gives the data of a call, or throws its error (a PorticoError).
  const customers = await unwrap(portico.crm.listCustomers({ params: { query: { limit: 3 } } }));
  console.log('1. A few of your customers:');
  for (const customer of customers.data) console.log(`   ${customer.id}  ${customer.name}`);

  // 2. Write. The SDK sends an Idempotency-Key, so a retried POST never creates a second customer.
  const customer = await unwrap(
    portico.crm.createCustomer({
      body: { kind: 'organization', name: 'Quick Start Clinic', tags: ['quickstart'] },
    }),
  );
  console.log(`2. Created the customer ${customer.id} (${customer.name})`);

  // 3. Order a service package of the catalogue (entitlements API) for the new customer, at its list price.
  const packages = await unwrap(
    portico.entitlements.listPackages({ params: { query: { status: 'active', limit: 1 } } }),
  );
  const servicePackage = packages.data[0];
  if (!servicePackage) throw new Error('the catalogue has no active package (is PORTICO_SEED_DEMO off?)');
  const order = await unwrap(
    portico.orders.createOrder({
      body: {
        customerId: customer.id,
        currency: servicePackage.price.currency,
        items: [
          {
            type: 'service',
            packageId: servicePackage.id,
            name: servicePackage.name,
            quantity: 1,
            unitPrice: servicePackage.price,
          },
        ],
      },
    }),
  );
  console.log(`3. Placed the order ${order.id}: ${servicePackage.name}, ${money(order.totals.total)}`);

  // 4. Pay it: the amount must be the order's total.
  const payment = await unwrap(
    portico.orders.payOrder({
      params: { path: { orderId: order.id } },
      body: { method: 'wechat_pay', amount: order.totals.total },
    }),
  );
  const paid = await unwrap(portico.orders.getOrder({ params: { path: { orderId: order.id } } }));
  console.log(
    `4. Paid ${money(payment.amount)} by ${payment.method} (${payment.id}); the order is ${paid.status}`,
  );

  // 5. Errors are values: every call resolves to { data, error, response }; an API error is not thrown.
  const missing = await portico.crm.getCustomer({
    params: { path: { customerId: 'cus_00000000000000000000000000' } },
  });
  if (!(missing.error instanceof ProblemError) || missing.error.status !== 404) {
    throw new Error('a customer that does not exist should be answered 404');
  }
  const { status, code, requestId } = missing.error;
  console.log(
    `5. A customer that does not exist: ${status} ${code} (quote ${requestId} when asking for help)`,
  );
}

/** An amount in minor units (fen, cents) as people read it: 12800 CNY → "128.00 CNY". */
function money({ amount, currency }: { amount: number; currency: string }): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits!;
  return `${(amount / 10 ** digits).toFixed(digits)} ${currency}`;
}
// #endregion quickstart

const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8080';
/** Where `npm start` keeps the demo partner's test key on its first start (see examples/README.md). */
const DEMO_CREDENTIALS_FILE = path.resolve(process.env.PORTICO_DATA_DIR || 'data', 'demo-credentials.json');

interface Settings {
  gatewayUrl: string;
  apiKey: string;
  /** Where the key came from, for the first line of output and for error messages. */
  source: string;
}

/** PORTICO_GATEWAY_URL and PORTICO_API_KEY win; without a key, the demo credentials `npm start` kept. */
function settings(): Settings {
  const envUrl = process.env.PORTICO_GATEWAY_URL;
  const envKey = process.env.PORTICO_API_KEY;
  // This program creates a customer and pays an order: real records, with a live key.
  if (envKey?.startsWith('ptc_live_')) {
    throw new Error(
      'PORTICO_API_KEY is a live key; the quick start creates records, so run it with a test key.',
    );
  }
  if (envKey) return { gatewayUrl: envUrl || DEFAULT_GATEWAY_URL, apiKey: envKey, source: 'PORTICO_API_KEY' };
  let saved: { gatewayUrl?: string; apiKey?: string } | undefined;
  try {
    saved = JSON.parse(fs.readFileSync(DEMO_CREDENTIALS_FILE, 'utf8')) as typeof saved;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${DEMO_CREDENTIALS_FILE} could not be read: ${(error as Error).message}`);
    }
  }
  if (!saved?.apiKey) {
    throw new Error(
      `no API key. Set PORTICO_API_KEY to a test key (ptc_test_…): \`npm start\` prints the demo partner's key on ` +
        `its first start and keeps it in ${shown(DEMO_CREDENTIALS_FILE)}, where this program looks when PORTICO_API_KEY ` +
        'is not set; or create a key for your app in the portal (docs/getting-started.md).',
    );
  }
  return {
    gatewayUrl: envUrl || saved.gatewayUrl || DEFAULT_GATEWAY_URL,
    apiKey: saved.apiKey,
    source: shown(DEMO_CREDENTIALS_FILE),
  };
}

/** A path as short as it can be said from here: data/demo-credentials.json rather than the absolute path. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

/** One sentence that says what went wrong and what to do about it. */
function explain(error: unknown, current: Settings | undefined): string {
  if (error instanceof ProblemError && error.status === 401 && current) {
    return (
      `the gateway refused the API key from ${current.source} (401 ${error.code}). Use a key of a test app: ` +
      `the demo key \`npm start\` printed, or one you create in the portal (request ${error.requestId}).`
    );
  }
  if (error instanceof ConnectionError && current) {
    return `nothing answers at ${current.gatewayUrl}. Is \`npm start\` running? (${error.message})`;
  }
  if (error instanceof PorticoError) return `${error.message} (request ${error.requestId ?? 'unknown'})`;
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<void> {
  let current: Settings | undefined;
  try {
    current = settings();
    console.log(
      `Portico quick start: ${current.gatewayUrl}, key ${current.apiKey.slice(0, 9)}… (${current.source})`,
    );
    await quickStart(current.gatewayUrl, current.apiKey);
    console.log('Done. Next: examples/README.md and sdks/typescript/README.md');
  } catch (error) {
    console.error(`The quick start failed: ${explain(error, current)}`);
    process.exitCode = 1;
  }
}

void main();
