// Finds where HTTP/1.1 messages start and end in a byte stream (RFC 9112 §6.3), so that a test proxy can tell one
// request or response from the next on a keep-alive connection while relaying the bytes untouched.
export interface MessageHead {
  /** `POST /orders/v1/orders HTTP/1.1` or `HTTP/1.1 201 Created`. */
  startLine: string;
  /** Lowercase names; repeated fields joined with `, ` (RFC 9110 §5.3). */
  headers: Record<string, string>;
}

export interface FramedMessage {
  head: MessageHead;
  /** Every byte of the message as it crossed the wire, head included. */
  raw: Buffer;
  /** The content, with any chunked transfer coding removed. */
  body: Buffer;
}

type BodyMode =
  | { kind: 'none' }
  | { kind: 'length'; remaining: number }
  | { kind: 'chunked'; step: 'size' | 'data' | 'data-end' | 'trailers'; remaining: number }
  | { kind: 'until-close' };

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

export class MessageFramer {
  private pending: Buffer = Buffer.alloc(0);
  private head: MessageHead | undefined;
  private mode: BodyMode = { kind: 'none' };
  private raw: Buffer[] = [];
  private body: Buffer[] = [];

  constructor(
    private readonly kind: 'request' | 'response',
    private readonly listener: {
      onHead?(head: MessageHead): void;
      onMessage?(message: FramedMessage): void;
    },
  ) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length > 0 && this.step()) {
      // each step consumes what it can; it returns false when it needs more bytes
    }
  }

  /** The connection closed: a response delimited by the close is complete now (RFC 9112 §6.3, rule 8). */
  end(): void {
    if (this.head && this.mode.kind === 'until-close') this.complete();
  }

  private step(): boolean {
    if (!this.head) return this.readHead();
    const mode = this.mode;
    switch (mode.kind) {
      case 'length': {
        const taken = this.take(Math.min(mode.remaining, this.pending.length));
        this.body.push(taken);
        mode.remaining -= taken.length;
        if (mode.remaining === 0) this.complete();
        return true;
      }
      case 'until-close':
        this.body.push(this.take(this.pending.length));
        return true;
      case 'chunked':
        return this.readChunked(mode);
      case 'none':
        this.complete();
        return true;
    }
  }

  private readHead(): boolean {
    const end = this.pending.indexOf(HEAD_END);
    if (end < 0) return false;
    const text = this.take(end + HEAD_END.length).toString('latin1');
    const [startLine = '', ...lines] = text.slice(0, -HEAD_END.length).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    this.head = { startLine, headers };
    this.mode = this.bodyMode(startLine, headers);
    this.listener.onHead?.(this.head);
    if (this.mode.kind === 'none') this.complete();
    return true;
  }

  private bodyMode(startLine: string, headers: Record<string, string>): BodyMode {
    if (this.kind === 'response') {
      const status = Number(startLine.split(' ')[1]);
      if ((status >= 100 && status < 200) || status === 204 || status === 304) return { kind: 'none' };
    }
    if (/(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding'] ?? '')) {
      return { kind: 'chunked', step: 'size', remaining: 0 };
    }
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      return length > 0 ? { kind: 'length', remaining: length } : { kind: 'none' };
    }
    return this.kind === 'request' ? { kind: 'none' } : { kind: 'until-close' };
  }

  private readChunked(mode: Extract<BodyMode, { kind: 'chunked' }>): boolean {
    switch (mode.step) {
      case 'size': {
        const line = this.takeLine();
        if (line === undefined) return false;
        mode.remaining = parseInt(line.split(';')[0]!.trim(), 16);
        mode.step = mode.remaining === 0 ? 'trailers' : 'data';
        return true;
      }
      case 'data': {
        const taken = this.take(Math.min(mode.remaining, this.pending.length));
        this.body.push(taken);
        mode.remaining -= taken.length;
        if (mode.remaining === 0) mode.step = 'data-end';
        return true;
      }
      case 'data-end': {
        if (this.takeLine() === undefined) return false;
        mode.step = 'size';
        return true;
      }
      case 'trailers': {
        const line = this.takeLine();
        if (line === undefined) return false;
        if (line === '') this.complete();
        return true;
      }
    }
  }

  private takeLine(): string | undefined {
    const end = this.pending.indexOf(CRLF);
    if (end < 0) return undefined;
    return this.take(end + CRLF.length)
      .subarray(0, end)
      .toString('latin1');
  }

  private take(bytes: number): Buffer {
    const taken = this.pending.subarray(0, bytes);
    this.pending = this.pending.subarray(bytes);
    this.raw.push(taken);
    return taken;
  }

  private complete(): void {
    const message = { head: this.head!, raw: Buffer.concat(this.raw), body: Buffer.concat(this.body) };
    this.head = undefined;
    this.mode = { kind: 'none' };
    this.raw = [];
    this.body = [];
    this.listener.onMessage?.(message);
  }
}
