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

export function createLogger(options: { level: string; name?: string }): Logger {
  return pino({
    level: options.level,
    ...(options.name ? { name: options.name } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  });
}
