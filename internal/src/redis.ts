// Opens ioredis connections that never queue commands while disconnected (STACK.md pitfall 5): a command against a
// dead Redis fails at once, so callers can apply their documented failure policy instead of hanging for seconds.
import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

export interface RedisConnectOptions {
  url: string;
  /** Shown in CLIENT LIST and logs. */
  name: string;
  /** How long the first connection may take before start-up fails. */
  connectTimeoutMs?: number;
}

export async function connectRedis(options: RedisConnectOptions): Promise<Redis> {
  const settings: RedisOptions = {
    connectionName: options.name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    lazyConnect: true,
    // Reconnect forever, backing off to 2 s: Redis coming back must resume service without a restart.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  };
  const client = new Redis(options.url, settings);
  // Errors after start-up are reported through the command that failed; an unhandled 'error' event would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new Error(`Redis at ${redactUrl(options.url)} is unreachable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return client;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
