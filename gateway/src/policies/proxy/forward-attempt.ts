// One attempt at sending a request upstream, as an undici dispatch handler: it reports whether the request had
// been written when it failed (the retry rule needs that), and once the upstream answers it streams the response
// into the caller's ServerResponse with backpressure, never buffering the body.
import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Logger } from '../../../../internal/src/logger';
import { buildResponseHeaders } from './header-hygiene';

export type AttemptOutcome =
  /** The upstream answered; `done` settles (never rejects) once the body was streamed or the stream was cut. */
  | { kind: 'response'; status: number; done: Promise<void> }
  /** Nothing was sent to the caller yet. `written`: the request had (at least partly) reached a socket. */
  | { kind: 'failed'; error: unknown; written: boolean }
  /** The caller's connection closed before the upstream answered (never with `finishWithoutCaller`). */
  | { kind: 'client_gone' };

export interface ForwardAttemptOptions {
  /**
   * Keep forwarding when the caller leaves, reading the upstream's answer to its end (into a response nobody
   * reads) instead of aborting it: for requests whose answer is kept for a retry (Idempotency-Key).
   */
  finishWithoutCaller?: boolean;
}

class ClientClosedError extends Error {
  override name = 'ClientClosedError';
  readonly code = 'PORTICO_CLIENT_CLOSED';
}

export class ForwardAttempt implements Dispatcher.DispatchHandler {
  readonly outcome: Promise<AttemptOutcome>;
  private resolveOutcome!: (outcome: AttemptOutcome) => void;
  private resolveDone: (() => void) | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private written = false;
  private settled = false;
  private streaming = false;
  private cancelReason: Error | undefined;
  private callerGone = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly log: () => Logger,
    private readonly options: ForwardAttemptOptions = {},
  ) {
    this.outcome = new Promise((resolve) => (this.resolveOutcome = resolve));
    res.once('close', this.onClientClose);
  }

  /** Gives up on this attempt (the proxy's deadline); settles at once, undici is told to abort. */
  cancel(reason: Error): void {
    if (this.settled) return;
    this.settle({ kind: 'failed', error: reason, written: this.written });
    this.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Cancelled while queued or connecting: undici had no handle to abort until now.
    if (this.cancelReason) return controller.abort(this.cancelReason);
    this.written = true;
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (this.settled) return;
    const res = this.res;
    try {
      // Headers set by earlier gateway policies (X-Request-Id, RateLimit-*) are the gateway's word and win.
      const upstreamHeaders = buildResponseHeaders(headers);
      for (const name in upstreamHeaders) {
        if (!res.hasHeader(name)) res.setHeader(name, upstreamHeaders[name]!);
      }
      res.writeHead(statusCode);
    } catch (error) {
      this.settle({ kind: 'failed', error, written: true });
      controller.abort(error as Error);
      return;
    }
    this.streaming = true;
    this.settle({ kind: 'response', status: statusCode, done: new Promise((r) => (this.resolveDone = r)) });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.streaming) return;
    // Backpressure: stop reading the upstream socket until the caller's socket drains (a gone caller never will).
    if (!this.res.write(chunk) && !this.callerGone) {
      controller.pause();
      this.res.once('drain', this.onDrain);
    }
  }

  onResponseEnd(): void {
    if (!this.streaming) return;
    // Upstream trailers are dropped: the caller never sent `TE: trailers` through us (RFC 9110 §6.5.1).
    this.res.end();
    this.finish();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (!this.settled) {
      this.settle({ kind: 'failed', error, written: this.written });
      return;
    }
    if (!this.streaming) return;
    // Headers are gone already: the only honest signal left is an incomplete message, so cut the connection.
    if (!(error instanceof ClientClosedError)) {
      this.log().warn({ err: error }, 'upstream response broke off while streaming; closing the connection');
      this.res.destroy(error);
    }
    this.finish();
  }

  private readonly onDrain = () => this.controller?.resume();

  private readonly onClientClose = () => {
    if (this.res.writableFinished) return;
    if (this.options.finishWithoutCaller) {
      this.callerGone = true;
      this.res.off('drain', this.onDrain);
      this.controller?.resume();
      return;
    }
    const reason = new ClientClosedError('the caller closed the connection');
    if (!this.settled) this.settle({ kind: 'client_gone' });
    this.abort(reason);
    if (this.streaming) this.finish();
  };

  private abort(reason: Error): void {
    if (this.controller) this.controller.abort(reason);
    else this.cancelReason = reason;
  }

  private settle(outcome: AttemptOutcome): void {
    this.settled = true;
    if (outcome.kind !== 'response') this.res.off('close', this.onClientClose);
    this.resolveOutcome(outcome);
  }

  private finish(): void {
    this.streaming = false;
    this.res.off('close', this.onClientClose);
    this.res.off('drain', this.onDrain);
    this.resolveDone?.();
  }
}
