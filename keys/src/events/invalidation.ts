// Tells every process that a cached credential is no longer what it was (revoked, rolled, its app or partner
// changed), so verification caches drop it: at once within one process, within milliseconds across processes that
// share Redis (DESIGN.md: a revoke takes effect everywhere within 1 second).
import type { Logger } from 'pino';
import { connectRedis, type Redis } from '../../../internal/src/redis';

export type Invalidation =
  /** One credential changed; caches keyed by its digest or id drop it. */
  | { type: 'credential'; credentialId: string; digest?: string }
  /** Anything may have changed (e.g. this process missed messages while Redis was away): drop everything. */
  | { type: 'all' };

export type InvalidationListener = (event: Invalidation) => void;

export interface InvalidationBus {
  publish(event: Invalidation): Promise<void>;
  subscribe(listener: InvalidationListener): () => void;
  close(): Promise<void>;
}

/** One process: listeners hear every event synchronously, before publish resolves. */
export function memoryInvalidationBus(): InvalidationBus {
  const listeners = new Set<InvalidationListener>();
  return {
    async publish(event) {
      for (const listener of listeners) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}

/**
 * Several processes: Redis pub/sub on `<prefix>:invalidate`. Local listeners hear an event at once (this process
 * must not wait for the round trip); others hear it when Redis delivers. Pub/sub is not durable, so whenever the
 * subscriber connection comes back after a disconnection, listeners get `{ type: 'all' }` and start cold.
 */
export async function redisInvalidationBus(options: {
  url: string;
  prefix: string;
  logger: Logger;
}): Promise<InvalidationBus> {
  const channel = `${options.prefix}:invalidate`;
  const origin = `${process.pid}:${Math.random().toString(36).slice(2)}`;
  const listeners = new Set<InvalidationListener>();
  const emit = (event: Invalidation) => {
    for (const listener of listeners) listener(event);
  };
  const publisher: Redis = await connectRedis({
    url: options.url,
    name: `portico-invalidation-pub:${options.prefix}`,
  });
  const subscriber: Redis = await connectRedis({
    url: options.url,
    name: `portico-invalidation-sub:${options.prefix}`,
  });
  await subscriber.subscribe(channel);
  let connected = true;
  subscriber.on('close', () => {
    connected = false;
  });
  subscriber.on('ready', () => {
    if (connected) return;
    connected = true;
    // ioredis re-subscribes on reconnect; whatever was published meanwhile is lost, so start cold.
    options.logger.warn({ channel }, 'invalidation channel reconnected: dropping all cached credentials');
    emit({ type: 'all' });
  });
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    try {
      const parsed = JSON.parse(message) as { origin: string; event: Invalidation };
      if (parsed.origin !== origin) emit(parsed.event);
    } catch (error) {
      options.logger.error(
        { err: error },
        'unreadable invalidation message: dropping all cached credentials',
      );
      emit({ type: 'all' });
    }
  });
  return {
    async publish(event) {
      emit(event);
      try {
        await publisher.publish(channel, JSON.stringify({ origin, event }));
      } catch (error) {
        // The change itself is committed; other processes will only see it when their cache entry expires (the
        // cache TTL bounds that). Say so loudly rather than failing the revoke the caller asked for.
        options.logger.error(
          { err: error, event },
          'could not publish an invalidation; other processes rely on cache TTL',
        );
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
