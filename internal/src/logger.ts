// Builds the pino logger a process passes down. Credentials never reach the log (STYLE.md: redact
// authorization, keys, signatures, cookies); bodies are never logged.
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.signature',
  'req.headers["signature-input"]',
  // The gateway's identity assertion: a bearer credential for its backend until it expires.
  'req.headers["x-portico-identity"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.apiKey',
];

/** How long a buffered line may wait before it is written, at the latest. */
const FLUSH_INTERVAL_MS = 1_000;

export function createLogger(options: {
  level: string;
  name?: string;
  /**
   * Write stdout in batches of ~8 KiB (flushed at least every second and at exit) instead of one write(2) per line.
   * For servers that log a line per request: a synchronous write per line was 13 % of the gateway's CPU. A crash
   * can lose what is still buffered (at most a second of lines), which is why it is a choice and not the default.
   */
  buffered?: boolean;
}): Logger {
  const settings = {
    level: options.level,
    ...(options.name ? { name: options.name } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  };
  if (!options.buffered) return pino(settings);
  const destination = pino.destination({ dest: 1, sync: false, minLength: 8192 });
  setInterval(() => destination.flush(), FLUSH_INTERVAL_MS).unref();
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // Nothing more can be done while the process exits; stdout may already be closed.
    }
  });
  return pino(settings, destination);
}
