import fs from 'node:fs';
import { parse } from 'yaml';
import { problemCatalog } from './catalog';
import { ProblemError, notFound, renderProblem } from './problem';

describe('problem documents', () => {
  test('render as RFC 9457 members plus code and requestId, with the type pointing at the docs', () => {
    const doc = renderProblem(notFound('customer', 'cus_1'), {
      baseUrl: 'https://portico.dev/problems/',
      requestId: 'req_1',
      instance: '/crm/v1/customers/cus_1',
    });
    expect(doc).toEqual({
      type: 'https://portico.dev/problems/not_found',
      title: problemCatalog.not_found.title,
      status: 404,
      detail: "No customer with id 'cus_1' exists.",
      code: 'not_found',
      instance: '/crm/v1/customers/cus_1',
      requestId: 'req_1',
    });
  });

  test('the internal message never reaches the document', () => {
    const error = new ProblemError('internal_error', 'Something failed.', {
      internalMessage: 'db password wrong',
    });
    expect(error.message).toBe('db password wrong');
    expect(JSON.stringify(renderProblem(error, { baseUrl: 'https://x/' }))).not.toMatch(/password/);
  });

  test('extensions and field errors are carried', () => {
    const doc = renderProblem(
      new ProblemError('invalid_transition', 'No.', {
        extensions: { currentStatus: 'paid' },
        errors: [{ pointer: '/status', detail: 'bad' }],
      }),
      { baseUrl: 'https://x/' },
    );
    expect(doc).toMatchObject({
      status: 409,
      currentStatus: 'paid',
      errors: [{ pointer: '/status', detail: 'bad' }],
    });
  });

  test('every catalog entry has a 4xx or 5xx status', () => {
    for (const entry of Object.values(problemCatalog)) {
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
    }
  });
});

describe('the catalog and the spec agree', () => {
  test('specs/common ProblemCode lists exactly the codes of the catalog', () => {
    const schemas = parse(fs.readFileSync(`${__dirname}/../../../specs/common/schemas.yaml`, 'utf8'));
    expect([...schemas.ProblemCode.enum].sort()).toEqual(Object.keys(problemCatalog).sort());
  });

  test('docs/problems.md documents every code under its own heading', () => {
    const page = fs.readFileSync(`${__dirname}/../../../docs/problems.md`, 'utf8');
    const headings = [...page.matchAll(/^## (\w+)$/gm)].map((m) => m[1]).sort();
    expect(headings).toEqual(Object.keys(problemCatalog).sort());
  });
});
