// What the public specs document about each operation's request, for the acceptance matrix to build requests from
// (as portal/server/src/testing/request-examples.ts does for the platform spec): the request-body example, the
// query parameters that carry an example or a default, and a body that breaks the schema at a known pointer.
import path from 'node:path';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { ID_PATTERN } from '../../../internal/src/ids';
import { PUBLIC_APIS } from '../routes';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  default?: unknown;
  example?: unknown;
}

interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  schema?: JsonSchema;
}

interface MediaObject {
  schema?: JsonSchema;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}

interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content?: Record<string, MediaObject> };
  responses?: Record<string, unknown>;
}

export interface OperationRequestDoc {
  operationId: string;
  /** The documented request-body example (ids in it are the spec's placeholders); undefined without a body. */
  bodyExample: unknown;
  bodySchema: JsonSchema | undefined;
  /** Query parameters with a documented example or default, as sent. */
  query: Record<string, string>;
  /** The documented success status (the one 2xx of the operation's responses). */
  successStatus: number;
}

let loaded: Promise<Map<string, OperationRequestDoc>> | undefined;

/** Every public operation's request documentation, by operationId (loaded once per test process). */
export function requestDocs(specsDir: string): Promise<Map<string, OperationRequestDoc>> {
  loaded ??= load(specsDir);
  return loaded;
}

async function load(specsDir: string): Promise<Map<string, OperationRequestDoc>> {
  const docs = new Map<string, OperationRequestDoc>();
  for (const api of PUBLIC_APIS) {
    const doc = (await $RefParser.dereference(path.join(specsDir, api, 'openapi.yaml'))) as {
      paths: Record<string, Record<string, unknown> & { parameters?: ParameterObject[] }>;
    };
    for (const item of Object.values(doc.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        const op = item[method] as OperationObject | undefined;
        if (!op?.operationId) continue;
        const query: Record<string, string> = {};
        for (const parameter of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
          if (parameter.in !== 'query') continue;
          const value = parameter.example ?? parameter.schema?.example ?? parameter.schema?.default;
          if (value !== undefined) query[parameter.name] = String(value);
          else if (parameter.required) {
            throw new Error(`${op.operationId}: required query parameter ${parameter.name} has no example`);
          }
        }
        const media = op.requestBody?.content?.['application/json'];
        const successes = Object.keys(op.responses ?? {}).filter((status) => /^2\d\d$/.test(status));
        if (successes.length !== 1) throw new Error(`${op.operationId}: expected one 2xx, got ${successes}`);
        docs.set(op.operationId, {
          operationId: op.operationId,
          bodyExample: media ? (media.example ?? Object.values(media.examples ?? {})[0]?.value) : undefined,
          bodySchema: media?.schema,
          query,
          successStatus: Number(successes[0]),
        });
      }
    }
  }
  return docs;
}

/**
 * Replaces the spec's placeholder ids (`cus_01JDQ…`) by real ones, by prefix: a string for every id of that
 * prefix, or a list handed out in order to the distinct placeholders (a package naming four items needs four).
 * A placeholder without a replacement is an error, so that no made-up id ever reaches a backend.
 */
export function withRealIds(
  example: unknown,
  ids: Readonly<Record<string, string | readonly string[]>>,
): unknown {
  const assigned = new Map<string, string>();
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string' && ID_PATTERN.test(value)) {
      const known = assigned.get(value);
      if (known) return known;
      const prefix = value.slice(0, value.indexOf('_'));
      const given = ids[prefix];
      const used = [...assigned.keys()].filter((k) => k.startsWith(`${prefix}_`)).length;
      const real = typeof given === 'string' ? given : given?.[used];
      if (real === undefined) throw new Error(`no real id for the example's ${value}`);
      assigned.set(value, real);
      return real;
    }
    if (Array.isArray(value)) return value.map(replace);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    }
    return value;
  };
  return replace(example);
}

/**
 * A copy of a valid body with one top-level member of the wrong JSON type (a number for a string, a string for
 * anything else), and the RFC 6901 pointer a validation error must name.
 */
export function invalidBody(doc: OperationRequestDoc, valid: unknown): { body: unknown; pointer: string } {
  const properties = doc.bodySchema?.properties ?? {};
  for (const [name, schema] of Object.entries(properties)) {
    const type = schema.type;
    if (typeof type !== 'string') continue; // nullable or composed members: "wrong type" is less clear-cut
    const wrong = type === 'string' ? 12345 : 'not-a-valid-value';
    const base = valid !== null && typeof valid === 'object' && !Array.isArray(valid) ? valid : {};
    return { body: { ...base, [name]: wrong }, pointer: `/${name}` };
  }
  throw new Error(`${doc.operationId}: no member of a simple type to break`);
}
