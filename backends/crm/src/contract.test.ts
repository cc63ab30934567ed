// Contract tests for the CRM backend: every operation of specs/crm is called (the scenarios live per resource in
// contract/), every response is validated against the spec, and the last test fails if an operation never succeeded.
import { newTestIdentity, type TestService } from '../../../internal/src/testing/service-harness';
import { describeEachStore } from '../../../internal/src/testing/test-store';
import { activityScenarios } from './contract/activities';
import { contactScenarios } from './contract/contacts';
import type { CrmContract } from './contract/context';
import { customerScenarios } from './contract/customers';
import { leadScenarios } from './contract/leads';
import { opportunityScenarios } from './contract/opportunities';
import { startCrm } from './crm-harness';
import type { CrmTables } from './store/schema';

describeEachStore('CRM contract', (store) => {
  let crm: TestService<CrmTables>;
  beforeAll(async () => {
    crm = await startCrm(store);
  });
  afterAll(() => crm.close());
  const ctx: CrmContract = {
    get crm() {
      return crm;
    },
    fresh: () => crm.client.as(newTestIdentity()),
  };

  customerScenarios(ctx);
  contactScenarios(ctx);
  leadScenarios(ctx);
  opportunityScenarios(ctx);
  activityScenarios(ctx);

  test('every operation of specs/crm was called', () => {
    expect(crm.client.uncovered()).toEqual([]);
  });
});
