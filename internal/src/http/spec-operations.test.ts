import path from 'node:path';
import { assertHandlersMatchSpec, operationIdsOf } from './spec-operations';

const CRM_SPEC = path.resolve(__dirname, '../../../specs/crm/openapi.yaml');

describe('handlers must match the spec', () => {
  const handlers = () => Object.fromEntries(operationIdsOf(CRM_SPEC).map((id) => [id, () => undefined]));

  test('reads the operationIds of a document', () => {
    expect(operationIdsOf(CRM_SPEC)).toEqual(expect.arrayContaining(['listCustomers', 'createCustomer']));
  });

  test('a complete set of handlers passes', () => {
    expect(() => assertHandlersMatchSpec(CRM_SPEC, handlers())).not.toThrow();
  });

  test('a missing handler stops start-up, naming it', () => {
    const { getCustomer: _omitted, ...rest } = handlers();
    expect(() => assertHandlersMatchSpec(CRM_SPEC, rest)).toThrow(/missing getCustomer/);
  });

  test('a handler for an operation the spec does not have stops start-up too', () => {
    expect(() =>
      assertHandlersMatchSpec(CRM_SPEC, { ...handlers(), shredCustomer: () => undefined }),
    ).toThrow(/not in the spec: shredCustomer/);
  });
});
