// Test-side view of an OpenAPI document: its operations by operationId, and a validator that checks any response
// (success or error) against what the document says that operation may answer — status, media type and body.
import $RefParser from '@apidevtools/json-schema-ref-parser';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface MediaObject {
  schema?: object;
}
interface ResponseObject {
  content?: Record<string, MediaObject>;
}
export interface SpecOperation {
  operationId: string;
  method: string;
  /** The path template below the server URL, e.g. /customers/{customerId}. */
  path: string;
  responses: Record<string, ResponseObject>;
  security?: Array<Record<string, string[]>>;
}

export interface LoadedSpec {
  specPath: string;
  /** The path prefix of the first server URL, e.g. /crm/v1. */
  basePath: string;
  operations: Map<string, SpecOperation>;
  validateResponse(operationId: string, status: number, contentType: string | null, body: unknown): string[];
  /** The operation (if any) that serves a concrete method and path below basePath. */
  match(method: string, path: string): SpecOperation | undefined;
}

const cache = new Map<string, Promise<LoadedSpec>>();

export function loadSpec(specPath: string): Promise<LoadedSpec> {
  let loaded = cache.get(specPath);
  if (!loaded) {
    loaded = load(specPath);
    cache.set(specPath, loaded);
  }
  return loaded;
}

async function load(specPath: string): Promise<LoadedSpec> {
  const doc = (await $RefParser.dereference(specPath)) as {
    servers?: Array<{ url: string }>;
    paths?: Record<string, Record<string, unknown>>;
    security?: Array<Record<string, string[]>>;
  };
  const serverUrl = doc.servers?.[0]?.url ?? '/';
  const basePath = new URL(serverUrl, 'http://localhost').pathname.replace(/\/$/, '');
  const operations = new Map<string, SpecOperation>();
  const matchers: Array<{ method: string; regex: RegExp; op: SpecOperation }> = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as
        | {
            operationId?: string;
            responses?: Record<string, ResponseObject>;
            security?: SpecOperation['security'];
          }
        | undefined;
      if (!op) continue;
      if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      const spec: SpecOperation = {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        responses: op.responses ?? {},
        ...((op.security ?? doc.security) ? { security: op.security ?? doc.security } : {}),
      };
      operations.set(op.operationId, spec);
      const regex = new RegExp(
        `^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`,
      );
      matchers.push({ method: spec.method, regex, op: spec });
    }
  }

  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const compiled = new WeakMap<object, ValidateFunction>();
  const validatorFor = (schema: object): ValidateFunction => {
    let fn = compiled.get(schema);
    if (!fn) {
      fn = ajv.compile(schema);
      compiled.set(schema, fn);
    }
    return fn;
  };

  return {
    specPath,
    basePath,
    operations,
    match: (method, path) =>
      matchers.find((m) => m.method === method.toUpperCase() && m.regex.test(path))?.op,
    validateResponse(operationId, status, contentType, body) {
      const op = operations.get(operationId);
      if (!op) return [`operation ${operationId} is not in ${specPath}`];
      const response =
        op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
      if (!response) return [`${operationId} does not document status ${status}`];
      const content = response.content;
      if (!content || Object.keys(content).length === 0) {
        return body === undefined || body === '' ? [] : [`${operationId} ${status} must have no body`];
      }
      const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
      const media = content[mediaType];
      if (!media)
        return [`${operationId} ${status}: media type '${mediaType}' is not one of ${Object.keys(content)}`];
      if (!media.schema) return [];
      const validate = validatorFor(media.schema);
      if (validate(body)) return [];
      return (validate.errors ?? []).map(
        (e) => `${operationId} ${status} body${e.instancePath} ${e.message}`,
      );
    },
  };
}
