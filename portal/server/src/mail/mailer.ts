// Email the portal sends (invitations). An interface so the process picks the transport: the embedded default
// writes each message as an .eml file into an outbox directory (open it with any mail client — no server to
// install); tests capture messages in memory. The message carries a single-use secret: it is never logged.
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../../../internal/src/clock';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Writes `<outbox>/<time>-<n>.eml` (RFC 5322), readable only by the owner: it holds invitation tokens. */
export function outboxMailer(options: { dir: string; from: string; clock: Clock }): Mailer {
  let sequence = 0;
  return {
    async send(message) {
      await fs.promises.mkdir(options.dir, { recursive: true, mode: 0o700 });
      sequence += 1;
      const now = options.clock.now();
      const file = path.join(options.dir, `${now.toISOString().replace(/[:.]/g, '-')}-${sequence}.eml`);
      const eml = [
        `From: ${options.from}`,
        `To: ${headerSafe(message.to)}`,
        `Subject: ${headerSafe(message.subject)}`,
        `Date: ${now.toUTCString()}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        message.text.replace(/\r?\n/g, '\r\n'),
        '',
      ].join('\r\n');
      await fs.promises.writeFile(file, eml, { mode: 0o600 });
    },
  };
}

/** Keeps every message (tests read invitation links from it). */
export function memoryMailer(): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
    },
  };
}

// RFC 5322 §2.2: a header value is one line; a CR or LF from user input would inject headers.
function headerSafe(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}
