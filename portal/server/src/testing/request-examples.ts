// The request-body example the spec documents for each operation (every body has one: a house lint rule), so that
// generated test matrices send a body the validator accepts and the request reaches its handler.
import fs from 'node:fs';
import { parse } from 'yaml';
import { PLATFORM_SPEC_PATH } from '../app';

type Media = { example?: unknown; examples?: Record<string, { value?: unknown }> };

let examples: Map<string, unknown> | undefined;

export function requestExample(operationId: string): unknown {
  if (!examples) {
    examples = new Map();
    const doc = parse(fs.readFileSync(PLATFORM_SPEC_PATH, 'utf8')) as {
      paths: Record<
        string,
        Record<string, { operationId?: string; requestBody?: { content?: Record<string, Media> } }>
      >;
    };
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) {
        const media = op.requestBody?.content?.['application/json'];
        if (!op.operationId || !media) continue;
        examples.set(op.operationId, media.example ?? Object.values(media.examples ?? {})[0]?.value);
      }
    }
  }
  return examples.get(operationId);
}
