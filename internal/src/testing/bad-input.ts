// The bad-input matrix every create operation must survive: wrong types, a missing field, an unknown field,
// malformed JSON, an oversized body, a wrong or missing content type (and optionally an unknown nested member)
// get a 4xx problem+json that names the culprit (a JSON pointer or the header) — and nothing is written.
import type { ContractClient, ContractResponse } from './contract-client';
import { TEST_MAX_BODY_BYTES } from './service-harness';

export interface BadInputSpec {
  operationId: string;
  params?: Record<string, string>;
  /** A body the operation would accept. */
  validBody: Record<string, unknown>;
  /** A member (RFC 6901 pointer into validBody) and a value of the wrong type for it. */
  wrongType: { pointer: string; value: unknown };
  /**
   * A required member (RFC 6901 pointer) to leave out. Omit it for a PATCH whose members are all optional: then an
   * empty body (refused by minProperties) is sent instead.
   */
  missing?: string;
  /** Optional: a pointer to a member that does not exist inside a nested object (e.g. /items/0/notAField). */
  nestedUnknown?: string;
  /** Reads what the operation would change (a row count, the target record); it must be equal afterwards. */
  count: () => Promise<unknown>;
}

export async function expectBadInputRejected(client: ContractClient, spec: BadInputSpec): Promise<void> {
  const before = await spec.count();
  const call = (options: Parameters<ContractClient['call']>[1]) =>
    client.call(spec.operationId, { ...(spec.params ? { params: spec.params } : {}), ...options });

  const wrongType = await call({
    body: setPointer(spec.validBody, spec.wrongType.pointer, spec.wrongType.value),
  });
  expectProblem(wrongType, 400, 'validation_failed', 'wrong type');
  expectPointer(wrongType, spec.wrongType.pointer);

  if (spec.missing !== undefined) {
    const missing = await call({ body: setPointer(spec.validBody, spec.missing, undefined) });
    expectProblem(missing, 400, 'validation_failed', 'missing field');
    expectPointer(missing, spec.missing);
  } else {
    const empty = await call({ body: {} });
    expectProblem(empty, 400, 'validation_failed', 'nothing to change');
    expectPointer(empty, '');
  }

  const unknown = await call({ body: { ...spec.validBody, notAField: 'x' } });
  expectProblem(unknown, 400, 'validation_failed', 'unknown field');
  expectPointer(unknown, '/notAField');

  const malformed = await call({
    rawBody: '{"name": "unterminated',
    headers: { 'content-type': 'application/json' },
  });
  expectProblem(malformed, 400, 'malformed_json', 'malformed JSON');
  expectPointer(malformed, '');

  const huge = { ...spec.validBody, padding: 'x'.repeat(TEST_MAX_BODY_BYTES + 1) };
  const oversized = await call({
    rawBody: JSON.stringify(huge),
    headers: { 'content-type': 'application/json' },
  });
  expectProblem(oversized, 413, 'payload_too_large', 'oversized body');

  const wrongMedia = await call({
    rawBody: JSON.stringify(spec.validBody),
    headers: { 'content-type': 'text/plain' },
  });
  expectProblem(wrongMedia, 415, 'unsupported_media_type', 'wrong content type');
  expect(wrongMedia.body.errors).toEqual([expect.objectContaining({ header: 'content-type' })]);

  // A body without any Content-Type must not be skipped (and the operation run without it).
  const untyped = await call({ rawBody: Buffer.from(JSON.stringify(spec.validBody)) });
  expectProblem(untyped, 415, 'unsupported_media_type', 'no content type');

  if (spec.nestedUnknown) {
    const nested = await call({ body: setPointer(spec.validBody, spec.nestedUnknown, 'x') });
    expectProblem(nested, 400, 'validation_failed', 'unknown nested field');
    expectPointer(nested, spec.nestedUnknown);
  }

  expect(await spec.count()).toEqual(before);
}

function expectProblem(response: ContractResponse, status: number, code: string, label: string): void {
  const summary = `${label}: ${response.status} ${response.text.slice(0, 500)}`;
  expect({ summary, status: response.status }).toEqual({ summary, status });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code, type: expect.stringContaining(code) });
  expect(typeof response.body.detail).toBe('string');
}

function expectPointer(response: ContractResponse, pointer: string): void {
  const pointers = (response.body.errors ?? []).map((e: { pointer?: string }) => e.pointer);
  expect(pointers).toContain(pointer);
}

/** A deep copy of `body` with the member at `pointer` set to `value` (or removed when value is undefined). */
export function setPointer(
  body: Record<string, unknown>,
  pointer: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(body);
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let target: Record<string, unknown> = copy;
  for (const token of tokens.slice(0, -1)) target = target[token] as Record<string, unknown>;
  const last = tokens[tokens.length - 1]!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}
