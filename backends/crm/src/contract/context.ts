// What the CRM contract scenarios share: the running service (one per engine, started by contract.test.ts, which
// also asserts coverage over all of them) and helpers to get a tenant of one's own and walk a list's pages.
import type { CallOptions, ContractClient } from '../../../../internal/src/testing/contract-client';
import type { TestService } from '../../../../internal/src/testing/service-harness';
import type { CrmTables } from '../store/schema';
import { ids } from '../testing/fixtures';

export interface CrmContract {
  /** The service under test; read it inside tests (it is started in the suite's beforeAll). */
  readonly crm: TestService<CrmTables>;
  /** A client for a tenant of its own, so that each test's lists hold only its own records. */
  fresh(): ContractClient;
}

/** Pages through a list with `limit` 2 and returns every id in order, checking hasMore against nextCursor. */
export async function allPages(
  client: ContractClient,
  operationId: string,
  options: CallOptions = {},
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.call(operationId, {
      ...options,
      query: { ...options.query, limit: 2, cursor },
    });
    expect(page.status).toBe(200);
    seen.push(...ids(page));
    cursor = page.body.nextCursor ?? undefined;
    expect(page.body.hasMore).toBe(cursor !== undefined);
  } while (cursor);
  return seen;
}
