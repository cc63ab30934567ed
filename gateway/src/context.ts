// The per-request state of the gateway, declared once (STYLE.md "Per-request state"): policies read and write it,
// never each other. One class so that every request object has the same shape (V8 keeps it monomorphic).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../internal/src/logger';
import type { GatewayCaller } from './policies/authenticate/caller';
import { limiterKeyOf } from './policies/client-address/client-address';
import type { RouteOperation } from './routes';

export class RequestContext {
  /** `req_…`, sent back as X-Request-Id and to the backend; quoted in every problem. */
  readonly requestId: string;
  readonly startedAtMs = performance.now();
  readonly method: string;
  /** The request target exactly as received (path and query). */
  readonly url: string;
  readonly pathname: string;
  /** The client's address: the connection's peer, or what trusted proxies forwarded (policies/client-address). */
  readonly clientAddress: string;
  /** What the per-address limiters count under (an IPv6 address by its /64). */
  readonly limiterKey: string;
  /** Set by the route policy. */
  operation: RouteOperation | undefined = undefined;
  params: Record<string, string> = {};
  /** Set by authentication. */
  caller: GatewayCaller | undefined = undefined;
  /** Why authentication refused (for the log and metrics only). */
  refusal: string | undefined = undefined;
  /** The raw body, read once (body policy); undefined until read, empty when there was none. */
  body: Buffer | undefined = undefined;
  /** RateLimit headers (and the like) that belong on whatever response this request gets. */
  responseHeaders: Record<string, string> | undefined = undefined;
  upstreamStatus: number | undefined = undefined;
  upstreamMs: number | undefined = undefined;
  /** The problem code when the gateway answered itself (for the access log). */
  problemCode: string | undefined = undefined;
  idempotentReplay = false;
  private childLog: Logger | undefined = undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    requestId: string,
    private readonly baseLog: Logger,
    clientAddress: string,
  ) {
    this.requestId = requestId;
    this.method = req.method ?? 'GET';
    this.url = req.url ?? '/';
    const queryAt = this.url.indexOf('?');
    this.pathname = queryAt === -1 ? this.url : this.url.slice(0, queryAt);
    this.clientAddress = clientAddress;
    this.limiterKey = limiterKeyOf(clientAddress);
  }

  /** A child logger carrying the request id, made only when something is logged besides the access line. */
  get log(): Logger {
    this.childLog ??= this.baseLog.child({ requestId: this.requestId });
    return this.childLog;
  }

  addResponseHeaders(headers: Readonly<Record<string, string>>): void {
    if (this.responseHeaders === undefined) this.responseHeaders = {};
    for (const name in headers) this.responseHeaders[name] = headers[name]!;
  }
}
