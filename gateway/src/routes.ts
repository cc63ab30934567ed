// The gateway's route table, built once at start-up from the public specs: every operation of crm, orders and
// entitlements under its prefix, with the scopes its security requirement names. Matching is a precompiled
// segment trie (no regex scan per request), and a path that exists with another method yields the Allow list.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export type PublicApi = 'crm' | 'orders' | 'entitlements';
export const PUBLIC_APIS: readonly PublicApi[] = ['crm', 'orders', 'entitlements'];

export interface RouteOperation {
  api: PublicApi;
  operationId: string;
  method: string;
  /** The template below the API's prefix, e.g. /customers/{customerId}. */
  path: string;
  /** The prefix the API is served under, e.g. /crm/v1 (from the spec's server URL). */
  basePath: string;
  /** Scopes required per security scheme (apiKey, oauth2, signature): any one alternative suffices. */
  scopes: Readonly<Record<string, readonly string[]>>;
  hasBody: boolean;
  /** The operation declares the Idempotency-Key header (specs/common/parameters.yaml#/IdempotencyKey). */
  takesIdempotencyKey: boolean;
}

export type RouteMatch =
  | { kind: 'operation'; operation: RouteOperation; params: Record<string, string> }
  /** The path exists with other methods: 405 with `Allow` (RFC 9110 §15.5.6). */
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

interface TrieNode {
  literal: Map<string, TrieNode>;
  /** A `{param}` segment: its name and the subtree. */
  param: { name: string; node: TrieNode } | undefined;
  methods: Map<string, RouteOperation>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export class RouteTable {
  private readonly root: TrieNode = newNode();
  readonly operations: RouteOperation[] = [];

  add(operation: RouteOperation): void {
    let node = this.root;
    for (const segment of segmentsOf(`${operation.basePath}${operation.path}`)) {
      const param = /^\{([^}]+)\}$/.exec(segment);
      if (param) {
        if (node.param && node.param.name !== param[1]) {
          throw new Error(
            `${operation.operationId}: {${param[1]}} conflicts with {${node.param.name}} at one level`,
          );
        }
        node.param ??= { name: param[1]!, node: newNode() };
        node = node.param.node;
      } else {
        let next = node.literal.get(segment);
        if (!next) node.literal.set(segment, (next = newNode()));
        node = next;
      }
    }
    if (node.methods.has(operation.method)) {
      throw new Error(`${operation.method} ${operation.basePath}${operation.path} is defined twice`);
    }
    node.methods.set(operation.method, operation);
    this.operations.push(operation);
  }

  /** `pathname` is the raw request path without the query; percent-encoded segments are decoded for params. */
  match(method: string, pathname: string): RouteMatch {
    const params: Record<string, string> = {};
    let node: TrieNode | undefined = this.root;
    for (const segment of segmentsOf(pathname)) {
      const literal: TrieNode | undefined = node.literal.get(segment);
      if (literal) {
        node = literal;
        continue;
      }
      if (!node.param) return { kind: 'not_found' };
      let value: string;
      try {
        value = decodeURIComponent(segment);
      } catch {
        return { kind: 'not_found' };
      }
      params[node.param.name] = value;
      node = node.param.node;
    }
    if (node.methods.size === 0) return { kind: 'not_found' };
    const verb = method === 'HEAD' ? 'GET' : method;
    const operation = node.methods.get(verb);
    if (operation) return { kind: 'operation', operation, params };
    return { kind: 'method_not_allowed', allow: [...node.methods.keys()].sort() };
  }
}

/** Reads the public specs (specs/<api>/openapi.yaml) into a route table. */
export function loadRouteTable(specsDir: string, apis: readonly PublicApi[] = PUBLIC_APIS): RouteTable {
  const table = new RouteTable();
  for (const api of apis) {
    const doc = parse(fs.readFileSync(path.join(specsDir, api, 'openapi.yaml'), 'utf8')) as {
      servers?: Array<{ url?: string }>;
      security?: Array<Record<string, string[]>>;
      paths: Record<string, Partial<Record<(typeof METHODS)[number], RawOperation>>>;
    };
    const basePath = new URL(doc.servers?.[0]?.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '');
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        if (!op.operationId)
          throw new Error(`specs/${api}: ${method.toUpperCase()} ${template} has no operationId`);
        const security = op.security ?? doc.security ?? [];
        // A public operation without a security requirement would be reachable anonymously: refuse to start.
        if (security.length === 0)
          throw new Error(`specs/${api}: ${op.operationId} has no security requirement`);
        const scopes: Record<string, readonly string[]> = {};
        for (const requirement of security) {
          for (const [scheme, needed] of Object.entries(requirement)) scopes[scheme] = needed;
        }
        table.add({
          api,
          operationId: op.operationId,
          method: method.toUpperCase(),
          path: template,
          basePath,
          scopes,
          hasBody: op.requestBody !== undefined,
          takesIdempotencyKey: (op.parameters ?? []).some(isIdempotencyKeyParameter),
        });
      }
    }
  }
  return table;
}

interface RawOperation {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  requestBody?: unknown;
  parameters?: Array<{ $ref?: string; name?: string; in?: string }>;
}

/** The shared parameter by reference, or one written out in place. */
function isIdempotencyKeyParameter(parameter: { $ref?: string; name?: string; in?: string }): boolean {
  if (parameter.$ref !== undefined) return parameter.$ref.endsWith('#/IdempotencyKey');
  return parameter.in === 'header' && parameter.name?.toLowerCase() === 'idempotency-key';
}

function newNode(): TrieNode {
  return { literal: new Map(), param: undefined, methods: new Map() };
}

/** Path segments; a trailing slash is not a segment of its own, and an empty path has none. */
function segmentsOf(pathname: string): string[] {
  const trimmed = pathname.endsWith('/') && pathname.length > 1 ? pathname.slice(0, -1) : pathname;
  return trimmed.split('/').slice(1);
}
