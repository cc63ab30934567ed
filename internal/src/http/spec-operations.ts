// Lists the operationIds of an OpenAPI document synchronously, so a service can refuse to start when a handler is
// missing or left over — instead of failing on the first request, when express-openapi-validator loads lazily.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

export function operationIdsOf(specPath: string): string[] {
  const doc = parse(fs.readFileSync(specPath, 'utf8')) as { paths?: Record<string, Record<string, unknown>> };
  const ids: string[] = [];
  for (const [route, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolvePathItem(specPath, rawItem);
    for (const method of METHODS) {
      const op = item[method] as { operationId?: string } | undefined;
      if (!op) continue;
      if (!op.operationId)
        throw new Error(`${specPath}: ${method.toUpperCase()} ${route} has no operationId`);
      ids.push(op.operationId);
    }
  }
  return ids;
}

/** Path items may live in another file (`$ref: ./paths/x.yaml` or `./paths.yaml#/x`). */
function resolvePathItem(specPath: string, item: Record<string, unknown>): Record<string, unknown> {
  const ref = item.$ref;
  if (typeof ref !== 'string') return item;
  const [file, fragment] = ref.split('#');
  const target = file ? path.resolve(path.dirname(specPath), file) : specPath;
  let node = parse(fs.readFileSync(target, 'utf8')) as Record<string, unknown>;
  for (const token of (fragment ?? '').split('/').filter(Boolean)) {
    node = node[token.replace(/~1/g, '/').replace(/~0/g, '~')] as Record<string, unknown>;
  }
  return node;
}

/** Throws unless `handlers` has exactly one entry per operation of the document. */
export function assertHandlersMatchSpec(specPath: string, handlers: Readonly<Record<string, unknown>>): void {
  const ids = operationIdsOf(specPath);
  const missing = ids.filter((id) => typeof handlers[id] !== 'function');
  const extra = Object.keys(handlers).filter((id) => !ids.includes(id));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `Handlers do not match ${path.relative(process.cwd(), specPath)}:` +
        (missing.length > 0 ? ` missing ${missing.join(', ')}.` : '') +
        (extra.length > 0 ? ` not in the spec: ${extra.join(', ')}.` : ''),
    );
  }
}

/** The path of the document's first server URL (`/crm/v1`), under which the service answers. */
export function serverBasePath(specPath: string): string {
  const doc = parse(fs.readFileSync(specPath, 'utf8')) as { servers?: Array<{ url?: string }> };
  const url = doc.servers?.[0]?.url ?? '/';
  return new URL(url, 'http://localhost').pathname.replace(/\/$/, '');
}
