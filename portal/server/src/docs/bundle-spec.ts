// One OpenAPI document with every $ref into specs/common turned into a local one (#/components/...), so Swagger UI
// can render it from a single embedded object. A shared definition (the Problem schema, the 401 response) is
// hoisted once into components and referenced, not copied into every operation.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Which components section a shared file's definitions belong in (specs/common). */
const SECTION_OF_FILE: Readonly<Record<string, string>> = {
  'schemas.yaml': 'schemas',
  'responses.yaml': 'responses',
  'parameters.yaml': 'parameters',
  'headers.yaml': 'headers',
  'security.yaml': 'securitySchemes',
};

export function bundleSpec(specPath: string): JsonObject {
  const entry = path.resolve(specPath);
  const files = new Map<string, Json>();
  const read = (file: string): Json => {
    let doc = files.get(file);
    if (doc === undefined) {
      doc = parse(fs.readFileSync(file, 'utf8')) as Json;
      files.set(file, doc);
    }
    return doc;
  };
  const root = structuredClone(read(entry)) as JsonObject;
  const components = (root.components ??= {}) as Record<string, JsonObject>;
  /** `absolute-file#pointer` → the local ref it became. */
  const hoisted = new Map<string, string>();

  const keyOf = (ref: string, baseFile: string) => {
    const [file = '', pointer = ''] = ref.split('#', 2);
    return { file: file ? path.resolve(path.dirname(baseFile), file) : baseFile, pointer };
  };

  const hoist = (file: string, pointer: string): string => {
    const key = `${file}#${pointer}`;
    const known = hoisted.get(key);
    if (known) return known;
    const section = SECTION_OF_FILE[path.basename(file)];
    if (!section) throw new Error(`no components section for $ref into ${file}`);
    const tokens = pointerTokens(pointer);
    const wanted = tokens.join('_') || path.basename(file, path.extname(file));
    const bucket = (components[section] ??= {});
    let name = wanted;
    for (let n = 2; name in bucket; n++) name = `${wanted}${n}`;
    const local = `#/components/${section}/${escapeToken(name)}`;
    hoisted.set(key, local);
    bucket[name] = {};
    bucket[name] = walk(resolvePointer(read(file), tokens, key), file);
    return local;
  };

  const walk = (node: Json, baseFile: string): Json => {
    if (Array.isArray(node)) return node.map((item) => walk(item, baseFile));
    if (node === null || typeof node !== 'object') return node;
    const out: JsonObject = {};
    for (const [name, value] of Object.entries(node)) {
      if (name === '$ref' && typeof value === 'string') {
        const { file, pointer } = keyOf(value, baseFile);
        out.$ref = file === entry ? `#${pointer}` : hoist(file, pointer);
      } else {
        out[name] = walk(value, baseFile);
      }
    }
    return out;
  };

  // A components entry that is only a $ref to a shared file takes that definition's place (and name) itself:
  // `components.securitySchemes.apiKey: {$ref: ../common/security.yaml#/apiKey}` becomes the scheme.
  for (const [section, entries] of Object.entries(components)) {
    for (const [name, value] of Object.entries(entries ?? {})) {
      const ref = (value as JsonObject | null)?.$ref;
      if (typeof ref !== 'string' || Object.keys(value as JsonObject).length !== 1 || ref.startsWith('#'))
        continue;
      const { file, pointer } = keyOf(ref, entry);
      hoisted.set(`${file}#${pointer}`, `#/components/${section}/${escapeToken(name)}`);
    }
  }
  for (const [section, entries] of Object.entries(components)) {
    for (const [name, value] of Object.entries(entries ?? {})) {
      const ref = (value as JsonObject | null)?.$ref;
      if (typeof ref === 'string' && Object.keys(value as JsonObject).length === 1 && !ref.startsWith('#')) {
        const { file, pointer } = keyOf(ref, entry);
        const tokens = pointerTokens(pointer);
        components[section]![name] = walk(resolvePointer(read(file), tokens, ref), file);
      }
    }
  }
  for (const name of Object.keys(root)) {
    if (name !== 'components') root[name] = walk(root[name]!, entry);
  }
  for (const [section, entries] of Object.entries(components)) {
    for (const name of Object.keys(entries ?? {})) {
      const value = components[section]![name]!;
      // Hoisted entries were walked already (their $refs are local); walking them again changes nothing.
      components[section]![name] = walk(value, entry);
    }
  }
  return root;
}

/** RFC 6901 reference tokens of a fragment like `/Problem/properties/type`. */
function pointerTokens(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolvePointer(doc: Json, tokens: readonly string[], ref: string): Json {
  let node: Json | undefined = doc;
  for (const token of tokens) {
    node = node !== null && typeof node === 'object' ? (node as JsonObject)[token] : undefined;
    if (node === undefined) throw new Error(`$ref ${ref} does not resolve`);
  }
  return structuredClone(node);
}
