// One typed client per API, built from the generated operation table: calls by path (`GET('/customers/{id}')`)
// or by operationId (`getCustomer(...)`), both checked against the spec's types, plus cursor pagination.
import type { Authenticator } from './auth/authenticator';
import type { GeneratedApi, GeneratedOperation } from './generated/apis';
import { utf8 } from './signing/encoding';
import type { Transport } from './transport';
import type {
  CallError,
  CallOptions,
  HttpMethod,
  InitArgs,
  OperationAt,
  PageItem,
  PaginatedOperations,
  PaginatedPaths,
  PathsWith,
  Result,
  SuccessData,
} from './types';

type MethodCall<Paths, M extends HttpMethod> = <P extends PathsWith<Paths, M>>(
  path: P,
  ...init: InitArgs<OperationAt<Paths, P, M>>
) => Promise<Result<SuccessData<OperationAt<Paths, P, M>>, CallError>>;

type PaginationTarget<Paths, Ops> = PaginatedPaths<Paths> | PaginatedOperations<Ops>;
type TargetOperation<Paths, Ops, T> = T extends keyof Ops
  ? Ops[T]
  : T extends PathsWith<Paths, 'get'>
    ? OperationAt<Paths, T, 'get'>
    : never;

export type OperationMethods<Ops> = {
  [K in keyof Ops]: (...init: InitArgs<Ops[K]>) => Promise<Result<SuccessData<Ops[K]>, CallError>>;
};

export type ApiClient<Paths, Ops> = OperationMethods<Ops> & {
  GET: MethodCall<Paths, 'get'>;
  PUT: MethodCall<Paths, 'put'>;
  POST: MethodCall<Paths, 'post'>;
  PATCH: MethodCall<Paths, 'patch'>;
  DELETE: MethodCall<Paths, 'delete'>;
  /**
   * Every item of a cursor-paginated list, page after page, by path or operationId. A failed page throws its
   * PorticoError. Break out of the loop to stop early; no further page is fetched.
   */
  paginate<T extends PaginationTarget<Paths, Ops>>(
    target: T,
    ...init: InitArgs<TargetOperation<Paths, Ops, T>>
  ): AsyncGenerator<PageItem<TargetOperation<Paths, Ops, T>>, void, undefined>;
};

export interface ApiClientContext {
  transport: Transport;
  authenticator: Authenticator | undefined;
  /** Where the API is served: an origin, optionally with a path prefix, from the client's options. */
  baseUrl: string | undefined;
}

interface RawInit extends CallOptions {
  params?: {
    path?: Record<string, unknown>;
    query?: Record<string, unknown>;
    header?: Record<string, unknown>;
  };
  body?: unknown;
}

interface Operation extends GeneratedOperation {
  operationId: string;
}

export function createApiClient<Paths, Ops>(
  api: GeneratedApi,
  context: ApiClientContext,
): ApiClient<Paths, Ops> {
  const server = new URL(api.server);
  const root = context.baseUrl ? new URL(context.baseUrl) : new URL(server.origin);
  // The spec's server path (/crm/v1) goes below whatever path the configured base URL has, unless the base URL
  // already ends with it (the portal prints its API as http://127.0.0.1:3000/api/v1; both forms work).
  const rootPath = root.pathname.replace(/\/+$/, '');
  const serverPath = server.pathname.replace(/\/+$/, '');
  const prefix = serverPath && rootPath.endsWith(serverPath) ? rootPath : `${rootPath}${serverPath}`;

  const byOperationId = new Map<string, Operation>();
  const byRoute = new Map<string, Operation>();
  for (const [operationId, operation] of Object.entries(api.operations)) {
    const entry = { ...operation, operationId };
    byOperationId.set(operationId, entry);
    byRoute.set(`${operation.method} ${operation.path}`, entry);
  }

  // async: a usage error (a missing path parameter, a key the operation does not take) rejects the call's promise
  // like any other failure, instead of throwing before there is one.
  async function call(operation: Operation, init: RawInit = {}): Promise<Result<unknown>> {
    const url = new URL(root.origin);
    url.pathname = prefix + expandPath(operation, init.params?.path);
    appendQuery(url.searchParams, init.params?.query);
    const headers: Record<string, string> = {};
    let idempotencyKey = init.idempotencyKey;
    // The spec's header parameters, then extra headers; a key given either way is the call's key, not a second
    // one the SDK would overwrite.
    for (const [name, value] of [
      ...Object.entries(init.params?.header ?? {}),
      ...Object.entries(init.headers ?? {}),
    ]) {
      if (value === undefined) continue;
      if (name.toLowerCase() === 'idempotency-key') idempotencyKey ??= String(value);
      else headers[name] = String(value);
    }
    if (idempotencyKey !== undefined && !operation.idempotencyKey) {
      throw new TypeError(`${operation.operationId} does not take an Idempotency-Key`);
    }
    // One key per call, made before the first attempt and sent unchanged on every retry.
    if (operation.idempotencyKey) idempotencyKey ??= crypto.randomUUID();
    return context.transport.send({
      method: operation.method.toUpperCase(),
      url,
      headers,
      ...(init.body !== undefined
        ? { body: utf8(JSON.stringify(init.body)), contentType: 'application/json' }
        : {}),
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      ...(context.authenticator ? { authenticator: context.authenticator } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
      ...(init.timeoutMs !== undefined ? { timeoutMs: init.timeoutMs } : {}),
      ...(init.retry !== undefined ? { retry: init.retry } : {}),
    });
  }

  const byPath = (method: HttpMethod) => async (path: string, init?: RawInit) => {
    const operation = byRoute.get(`${method} ${path}`);
    if (!operation) throw new TypeError(`${method.toUpperCase()} ${path} is not an operation of this API`);
    return call(operation, init);
  };

  async function* paginate(target: string, init: RawInit = {}): AsyncGenerator<unknown, void, undefined> {
    const operation = target.startsWith('/') ? byRoute.get(`get ${target}`) : byOperationId.get(target);
    if (!operation?.paginated) throw new TypeError(`${target} is not a cursor-paginated list`);
    let cursor = init.params?.query?.cursor;
    for (;;) {
      const query = { ...init.params?.query, ...(cursor !== undefined ? { cursor } : {}) };
      const result = await call(operation, { ...init, params: { ...init.params, query } });
      if (result.error) throw result.error;
      const page = result.data as { data: unknown[]; hasMore: boolean; nextCursor?: string | null };
      yield* page.data;
      if (!page.hasMore) return;
      // A page that promises more without a new cursor would make this loop fetch the same page for ever.
      if (typeof page.nextCursor !== 'string' || page.nextCursor === cursor) {
        throw new TypeError(
          `${operation.operationId}: the API answered hasMore without a new nextCursor (${String(page.nextCursor)})`,
        );
      }
      cursor = page.nextCursor;
    }
  }

  const client: Record<string, unknown> = {
    GET: byPath('get'),
    PUT: byPath('put'),
    POST: byPath('post'),
    PATCH: byPath('patch'),
    DELETE: byPath('delete'),
    paginate,
  };
  for (const operation of byOperationId.values()) {
    client[operation.operationId] = (init?: RawInit) => call(operation, init);
  }
  return client as ApiClient<Paths, Ops>;
}

function expandPath(operation: Operation, values: Record<string, unknown> | undefined): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values?.[name];
    if (value === undefined || value === null || value === '') {
      throw new TypeError(`${operation.operationId}: the path parameter ${name} is required`);
    }
    const segment = encodeURIComponent(String(value));
    // WHATWG URL resolves "." and ".." segments (encoded or not) away: DELETE /customers/.. would go to the
    // API's root. No encoding can carry them, so refuse them like a missing value.
    if (segment === '.' || segment === '..') {
      throw new TypeError(`${operation.operationId}: the path parameter ${name} cannot be "${segment}"`);
    }
    return segment;
  });
}

/** OpenAPI's default for query parameters is style form, explode true: arrays repeat the name. */
function appendQuery(search: URLSearchParams, query: Record<string, unknown> | undefined): void {
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
}
