// The acceptance matrix's HTTP client: raw node:http (so that every header, Cookie included, goes out exactly as
// written), a marker header on every request so the backend recorders can tell them apart, and a ledger of the
// requests the test intends a backend to receive — the matrix checks the recorders against it at the end.
import http from 'node:http';

/** Sent on every request; the gateway forwards it untouched, so a recorded request names the test request. */
export const MARKER_HEADER = 'x-acceptance-request';

export interface MatrixRequest {
  method: string;
  /** Path and query. */
  target: string;
  headers?: Record<string, string>;
  /** Sent as JSON when defined. */
  body?: unknown;
  /** The client address to connect from (any 127.0.0.0/8 address is local on Linux). */
  localAddress?: string;
}

export interface MatrixResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: unknown;
  marker: string;
}

export interface AdmittedRequest {
  marker: string;
  operationId: string;
  /** The X-Request-Id the gateway answered with. */
  requestId: string;
  /** The API key's id: the identity assertion's subject. */
  keyId: string;
  partnerId: string;
}

export class MatrixClient {
  private sequence = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  /** Every request sent, by marker. */
  readonly sent = new Map<string, { operationId: string; status: number }>();
  /** The requests a backend must have received, and nothing else. */
  readonly admitted: AdmittedRequest[] = [];

  constructor(private readonly gatewayUrl: string) {}

  async send(operationId: string, request: MatrixRequest): Promise<MatrixResponse> {
    this.sequence += 1;
    const marker = `m${this.sequence}`;
    const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
    const headers: Record<string, string> = {
      ...request.headers,
      [MARKER_HEADER]: marker,
      ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
    };
    const url = new URL(request.target, this.gatewayUrl);
    const response = await new Promise<MatrixResponse>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: request.method,
          headers,
          // A fresh connection from another local address; keep-alive only from the default one.
          ...(request.localAddress
            ? { localAddress: request.localAddress, agent: false }
            : { agent: this.agent }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text === '' ? undefined : JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, marker });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    this.sent.set(marker, { operationId, status: response.status });
    return response;
  }

  /** Notes that `response` is one a backend must have received on behalf of `caller`. */
  admit(operationId: string, response: MatrixResponse, caller: { keyId: string; partnerId: string }): void {
    const requestId = response.headers['x-request-id'];
    if (typeof requestId !== 'string') throw new Error(`${operationId}: the gateway sent no X-Request-Id`);
    this.admitted.push({
      marker: response.marker,
      operationId,
      requestId,
      keyId: caller.keyId,
      partnerId: caller.partnerId,
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
