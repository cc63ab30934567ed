// The gateway's access log: one JSON line per request in pino's format (level, time, pid, name, msg), written in
// batches — all the lines of one event-loop turn in one write — instead of one write(2) per line. The fields are
// fixed (app.ts), none is a credential, so they skip the redaction pass of the process logger; a line costs a
// JSON.stringify, about a quarter of a pino call with its redaction and its own write.
import pino, { type Logger } from 'pino';

export interface AccessRecord {
  requestId: string;
  method: string;
  path: string;
  operation: string | undefined;
  status: number;
  durationMs: number;
  upstreamMs: number | undefined;
  partnerId: string | undefined;
  appId: string | undefined;
  credentialId: string | undefined;
  scheme: string | undefined;
  code: string | undefined;
  reason: string | undefined;
  replayed: true | undefined;
  client: string;
}

export interface AccessLog {
  write(record: AccessRecord): void;
  /** Writes what is pending now (shutdown). */
  flush(): void;
}

/** Past this many pending characters the batch is written at once rather than at the end of the turn. */
const MAX_PENDING_CHARS = 16_384;
const INFO = 30;

export function createAccessLog(options: {
  /** The process logger: its level decides whether access lines are written, its name and pid are repeated. */
  logger: Logger;
  name: string;
  /** Where batches go; default stdout through a synchronous pino destination (it retries EAGAIN on pipes). */
  output?: (chunk: string) => void;
}): AccessLog {
  const output = options.output ?? stdoutWriter();
  const prefix = `{"level":${INFO},"pid":${process.pid},"name":${JSON.stringify(options.name)},"service":"gateway"`;
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    output(chunk);
  };
  return {
    write(record) {
      if (!options.logger.isLevelEnabled('info')) return;
      // JSON.stringify escapes whatever the caller put in the path; undefined members are left out.
      pending += `${prefix},"time":${Date.now()},${JSON.stringify(record).slice(1, -1)},"msg":"request"}\n`;
      if (pending.length >= MAX_PENDING_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

function stdoutWriter(): (chunk: string) => void {
  const destination = pino.destination({ dest: 1, sync: true });
  return (chunk) => destination.write(chunk);
}
