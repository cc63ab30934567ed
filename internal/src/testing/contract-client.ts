// An HTTP client for tests that calls operations by operationId, validates every response against the spec
// (a mismatch fails the test) and records which operations were called, so a suite can prove it called them all.
import type { Identity } from '../http/locals';
import type { LoadedSpec } from './spec-contract';

/** The headers that tell the service who is calling: for a backend, a signed identity assertion for its audience. */
export type IdentityHeaders = (identity: Identity) => Record<string, string>;

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body` (for malformed-input tests). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export interface ContractResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export class ContractClient {
  constructor(
    readonly spec: LoadedSpec,
    readonly baseUrl: string,
    readonly identity: Identity | undefined,
    readonly covered: Set<string> = new Set(),
    /** Required whenever `identity` is set; a client without one sends no identity at all. */
    readonly identityHeaders?: IdentityHeaders,
  ) {}

  /** The same server and coverage record, another caller. */
  as(identity: Identity | undefined): ContractClient {
    return new ContractClient(this.spec, this.baseUrl, identity, this.covered, this.identityHeaders);
  }

  async call<T = any>(operationId: string, options: CallOptions = {}): Promise<ContractResponse<T>> {
    const op = this.spec.operations.get(operationId);
    if (!op) throw new Error(`Unknown operationId ${operationId}`);
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = options.params?.[name];
      if (value === undefined) throw new Error(`${operationId}: missing path parameter ${name}`);
      return encodeURIComponent(value);
    });
    const response = await this.send(op.method, path, options);
    // A backend never answers 5xx to a test on purpose: fail loudly rather than letting "5XX: Problem" validate it.
    if (response.status >= 500) {
      throw new Error(`${operationId} answered ${response.status}: ${response.text.slice(0, 2000)}`);
    }
    // Only a success proves the operation works; an operation reached only with bad input is not covered.
    if (response.status < 300) this.covered.add(operationId);
    const problems = this.spec.validateResponse(
      operationId,
      response.status,
      response.headers.get('content-type'),
      response.text === '' ? undefined : response.body,
    );
    if (problems.length > 0) {
      throw new Error(
        `Response does not match the spec:\n  ${problems.join('\n  ')}\nBody: ${response.text.slice(0, 2000)}`,
      );
    }
    return response as ContractResponse<T>;
  }

  /** A request by method and path (below the spec's base path); validated when the path is an operation's. */
  async request<T = any>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<ContractResponse<T>> {
    const response = await this.send(method, path, options);
    if (response.status >= 500)
      throw new Error(`${method} ${path} answered ${response.status}: ${response.text}`);
    const op = this.spec.match(method, path.split('?')[0]!);
    if (op) {
      const problems = this.spec.validateResponse(
        op.operationId,
        response.status,
        response.headers.get('content-type'),
        response.text === '' ? undefined : response.body,
      );
      if (problems.length > 0)
        throw new Error(`Response does not match the spec:\n  ${problems.join('\n  ')}`);
    }
    return response as ContractResponse<T>;
  }

  /** Operations of the spec that no call through this client (or its `as` siblings) has reached. */
  uncovered(): string[] {
    return [...this.spec.operations.keys()].filter((id) => !this.covered.has(id)).sort();
  }

  private async send(method: string, path: string, options: CallOptions): Promise<ContractResponse> {
    const url = new URL(`${this.baseUrl}${this.spec.basePath}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (this.identity) {
      // Failing here beats a silent 401 that a test expecting one would wrongly take as proof.
      if (!this.identityHeaders)
        throw new Error('ContractClient: an identity needs identityHeaders to be sent');
      Object.assign(headers, this.identityHeaders(this.identity));
    }
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, options.headers);
    const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    if (text !== '' && /json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed, text };
  }
}
